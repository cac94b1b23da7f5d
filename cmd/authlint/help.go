package main

import (
	"fmt"
	"strings"

	"github.com/alecthomas/kong"
)

// helpPrinter is kong's help, but `authlint --help` also shows the check
// command's arguments and flags: check is the default command, so
// `authlint --format sarif .` takes them at the top level, and kong's
// top-level help would list the commands only. A command's help, and the
// one-line summary kong prints on some errors, are kong's own.
func helpPrinter(options kong.HelpOptions, ctx *kong.Context) error {
	if ctx.Selected() != nil || options.Summary {
		return kong.DefaultHelpPrinter(options, ctx)
	}
	app := ctx.Model
	var check *kong.Node
	for _, n := range app.Children {
		if n.Type == kong.CommandNode && n.Name == "check" {
			check = n
		}
	}
	if check == nil {
		return kong.DefaultHelpPrinter(options, ctx)
	}
	checkCtx, err := kong.Trace(ctx.Kong, []string{check.Name})
	if err != nil {
		return err
	}
	if checkCtx.Error != nil {
		return checkCtx.Error
	}

	var head strings.Builder
	fmt.Fprintf(&head, "Usage: %s [%s] %s\n", app.Name, check.Name, strings.TrimPrefix(check.Summary(), check.Name+" "))
	fmt.Fprintf(&head, "       %s <command> [flags]\n", app.Name)
	if app.Help != "" {
		fmt.Fprintf(&head, "\n%s\n", app.Help)
	}
	if _, err := fmt.Fprint(ctx.Stdout, head.String()); err != nil {
		return err
	}
	// The check command's help line, arguments and flags.
	checkOpts := options
	checkOpts.NoAppSummary = true
	if err := kong.DefaultHelpPrinter(checkOpts, checkCtx); err != nil {
		return err
	}
	// The commands, as kong lists them.
	var cmds strings.Builder
	cmds.WriteString("\nCommands:\n")
	for _, n := range app.Leaves(true) {
		fmt.Fprintf(&cmds, "  %s\n", n.Summary())
		if n.Help != "" {
			fmt.Fprintf(&cmds, "    %s\n", n.Help)
		}
		cmds.WriteString("\n")
	}
	fmt.Fprintf(&cmds, "Run \"%s <command> --help\" for more information on a command.\n", app.Name)
	_, err = fmt.Fprint(ctx.Stdout, cmds.String())
	return err
}
