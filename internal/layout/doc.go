// Package layout knows how servers are laid out on disk: where a main
// configuration found in a checkout is installed (Infer), which files the
// distributions' packages install (Stock), and the files a project says
// the server provides (ServerFiles). It reads nothing but what it is
// given.
package layout
