// Command authlint lints HTTP Basic/Digest auth on Apache httpd and nginx:
// password, digest and group files, Apache configs and .htaccess files, and
// nginx configs with their includes.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
