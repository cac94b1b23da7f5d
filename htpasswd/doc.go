// Package htpasswd reads Apache/nginx password files (user:hash), digest files
// (user:realm:md5) and group files (group: user user), and recognises and
// structurally validates password hash schemes.
//
// The Scanner streams a file one physical line at a time, so a file of a
// million lines needs memory for one line only. Every field carries its exact
// position. Nothing here computes a hash: validation is structural, and no
// text produced by this package (Hash.Problem, Redact) contains salt or
// digest material.
package htpasswd
