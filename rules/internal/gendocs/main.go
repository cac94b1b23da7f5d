// Command gendocs rewrites the rule table in the README from the registry.
// Run it with `go generate ./rules`.
package main

import (
	"fmt"
	"os"

	"github.com/authlint/authlint/rules"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gendocs README.md")
		os.Exit(2)
	}
	path := os.Args[1]
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, ok := rules.ReplaceTable(string(data), rules.All())
	if !ok {
		fmt.Fprintf(os.Stderr, "%s: rule table markers not found\n", path)
		os.Exit(1)
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
