package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/authlint/authlint/rules"
)

// printSetup prints, for --verbose, what the run is about to use: the
// configuration file, the mappings (given or inferred) and whether server
// paths outside them are read from this machine.
func printSetup(w io.Writer, s *settings) {
	if s.project.Path != "" {
		fmt.Fprintf(w, "authlint: configuration file %s\n", s.project.Path)
	} else {
		fmt.Fprintf(w, "authlint: no configuration file (%s) in the working directory or above it\n", configName)
	}
	for _, inf := range s.inferred {
		fmt.Fprintf(w, "authlint: mapping %s=%s, inferred from %s (%s)\n", inf.Mapping.Server, inf.Mapping.Local, inf.Config, inf.Why)
	}
	inferred := len(s.inferred) > 0
	for _, m := range s.maps {
		if !m.Inferred {
			fmt.Fprintf(w, "authlint: mapping %s, given\n", m)
		}
	}
	mapped := len(s.maps) > 0 || inferred
	switch {
	case s.fs == nil:
		fmt.Fprintln(w, "authlint: no mapping: server paths are read from this machine")
	case !s.live && mapped:
		fmt.Fprintln(w, "authlint: server paths outside the mappings are not read from this machine (--live reads them)")
	case !s.live:
		fmt.Fprintln(w, "authlint: server paths are not read from this machine (--offline)")
	default:
		fmt.Fprintln(w, "authlint: server paths outside the mappings are read from this machine (--live)")
	}
	if len(s.project.ServerFiles) > 0 {
		fmt.Fprintf(w, "authlint: files the server provides (server-files): %s\n", strings.Join(s.project.ServerFiles, ", "))
	}
}

// printRead prints, for --verbose, every file read with its role; a file
// reached through a symlink as "sites-enabled/site -> sites-available/site".
func printRead(w io.Writer, read []rules.FileRead) {
	for _, r := range read {
		role := string(r.Role)
		if r.Via != "" {
			switch r.Role {
			case rules.RoleIncluded:
				role = "included by " + r.Via
			case rules.RoleHtaccess:
				role = ".htaccess under a directory " + r.Via + " serves"
			default:
				role += " referenced by " + r.Via
			}
		}
		file := r.File
		if len(r.Links) > 0 {
			file = strings.Join(r.Links, ", ") + " -> " + file
		}
		fmt.Fprintf(w, "authlint: read %s (%s)\n", file, role)
	}
}

// summaryLine is the last line of a text run, in the spirit of nginx -t:
// "authlint: 14 files checked (2 configs, 9 included, 3 user files): 1
// error, 2 warnings".
func summaryLine(res *rules.Result) string {
	roles := map[rules.Role]int{}
	for _, r := range res.Read {
		roles[r.Role]++
	}
	var parts []string
	for _, r := range []struct {
		role        rules.Role
		one, plural string
	}{
		{rules.RoleConfig, "config", "configs"},
		{rules.RoleIncluded, "included", "included"},
		{rules.RoleHtaccess, ".htaccess", ".htaccess files"},
		{rules.RoleUserFile, "user file", "user files"},
	} {
		if n := roles[r.role]; n > 0 {
			parts = append(parts, count(n, r.one, r.plural))
		}
	}
	line := "authlint: " + count(res.Files, "file", "files") + " checked"
	if len(parts) > 0 {
		line += " (" + strings.Join(parts, ", ") + ")"
	}
	var sev [3]int
	suppressed := 0
	for _, f := range res.Findings {
		switch {
		case f.Suppressed:
			suppressed++
		case f.Severity == rules.Error:
			sev[0]++
		case f.Severity == rules.Warning:
			sev[1]++
		default:
			sev[2]++
		}
	}
	var found []string
	for i, name := range [][2]string{{"error", "errors"}, {"warning", "warnings"}, {"info", "infos"}} {
		if sev[i] > 0 {
			found = append(found, count(sev[i], name[0], name[1]))
		}
	}
	if suppressed > 0 {
		found = append(found, fmt.Sprintf("%d suppressed", suppressed))
	}
	if len(found) == 0 {
		found = []string{"no findings"}
	}
	return line + ": " + strings.Join(found, ", ")
}

func count(n int, one, plural string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, plural)
}
