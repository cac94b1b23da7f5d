// Package serverfs is the filesystem layer under the server models: it reads
// server paths (mapped onto a repository with --map/--root, or the live
// system), caches what a run asks repeatedly, scans directories for access
// files with few system calls, checks whether the server's worker account
// could read a file, and identifies files across symlinks.
//
// It imports only the standard library and golang.org/x/sys, and returns
// bytes and file facts, never parsed trees.
package serverfs
