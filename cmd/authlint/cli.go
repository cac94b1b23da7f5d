package main

import (
	"github.com/alecthomas/kong"
)

// cli is the kong grammar. Only structs and tags live here; the work is in
// the Run methods (commands.go).
type cli struct {
	Check   checkCmd         `cmd:"" default:"withargs" help:"Lint files and directories (the default command)."`
	Rules   rulesCmd         `cmd:"" help:"List every rule: ID, name, default severity and summary."`
	Explain explainCmd       `cmd:"" help:"Print the documentation of one rule."`
	Why     whyCmd           `cmd:"" help:"Predict what the server answers to one request, and explain it step by step."`
	Ver     versionCmd       `cmd:"" name:"version" help:"Print the version, the commit and the date it was built from."`
	Version kong.VersionFlag `help:"Print the version (as the version command) and exit."`
}

type checkCmd struct {
	Paths    []string `arg:"" optional:"" name:"path" help:"Files or directories to lint (directories are walked); - reads standard input and needs --type. Default: the current directory."`
	Format   string   `enum:"text,json,sarif,github,checkstyle" default:"text" help:"Output format: ${enum}."`
	FailOn   string   `name:"fail-on" enum:"error,warning,info,never" default:"warning" help:"Exit 1 when a finding at or above this severity is reported: ${enum}."`
	Enable   []string `help:"Enable rules by ID, name or glob (e.g. PW2*)." sep:","`
	Disable  []string `help:"Disable rules by ID, name or glob; 'all' disables every rule." sep:","`
	Type     string   `enum:"auto,htpasswd,htdigest,htgroup,nginx,apache" default:"auto" help:"Force the input kind: ${enum}."`
	Server   string   `enum:"any,apache,nginx" default:"any" help:"Server that reads password files named directly: ${enum}. Files referenced from a config are linted for that config's server."`
	Platform string   `enum:"libxcrypt,glibc,musl,portable" default:"libxcrypt" help:"The C library's crypt(3) on the server: ${enum}. 'portable' flags every scheme the server does not implement itself."`
	Color    string   `enum:"auto,always,never" default:"auto" help:"Colour in text output: ${enum}. NO_COLOR is honoured by auto."`
	Verbose  bool     `short:"v" help:"Print to standard error the configuration file used, the mappings (given or inferred) and every file read with its role."`
	Changed  bool     `help:"The paths are files a change touched (the pre-commit hook passes them): walk the working directory and report what concerns them, each main configuration that includes or references one linted in that context, the others alone."`

	// Project configuration and path mapping (config.go).
	Config  string   `name:"config" placeholder:"FILE" help:"Configuration file (default: the first .authlint.yaml in the working directory or above it). Flags win over the file."`
	Root    string   `placeholder:"DIR" help:"DIR holds a filesystem image: every absolute server path P is read from DIR/P (same as --map /=DIR)."`
	Map     []string `placeholder:"SERVER=LOCAL" sep:"none" help:"Read the server directory SERVER from LOCAL, e.g. --map /etc/nginx=deploy/nginx (repeatable; the longest SERVER wins). Without any, a main configuration found in a checkout maps its own: deploy/nginx/nginx.conf naming /etc/nginx/... gives /etc/nginx=deploy/nginx (said once, as an info finding)."`
	Live    bool     `xor:"live" help:"Read server paths outside every mapping from this machine (the default when there is no mapping, given or inferred)."`
	Offline bool     `xor:"live" help:"Do not read server paths outside every mapping from this machine: a missing one is reported as 'cannot check' (the default with a mapping, given or inferred)."`
}

type rulesCmd struct {
	Format string `enum:"text,json" default:"text" help:"Output format: ${enum}."`
}

type versionCmd struct{}

type explainCmd struct {
	Rule string `arg:"" help:"Rule ID or name."`
}
