package rules

import (
	"slices"
)

// Role is what a file read by a run was to it.
type Role string

// The roles of the files a run reads.
const (
	// RoleConfig is an entry point linted as a configuration: a main
	// configuration, or a vhost, conf snippet or .htaccess linted alone.
	RoleConfig Role = "config"
	// RoleIncluded is a file a configuration includes.
	RoleIncluded Role = "included"
	// RoleHtaccess is a .htaccess file found under a configuration's
	// served trees.
	RoleHtaccess Role = ".htaccess"
	// RoleUserFile is a password, digest or group file, named or
	// referenced.
	RoleUserFile Role = "user file"
)

// FileRead is one file a run read.
type FileRead struct {
	// File is the path shown in findings.
	File string
	Role Role
	// Via is the configuration entry point the file was read for ("" for
	// the entry point itself and for files named or found on their own).
	Via string
}

// unit is one entry point's part of a run: the findings and ignores it
// added (index ranges) and the files it read.
type unit struct {
	findings, ignores [2]int
	files             []string
}

// beginUnit starts an entry point's unit.
func (l *linter) beginUnit(entry string) {
	l.unit = &unit{findings: [2]int{len(l.findings), 0}, ignores: [2]int{len(l.ignores), 0}}
	l.entry = entry
}

// endUnit closes the current unit.
func (l *linter) endUnit() {
	if l.unit == nil {
		return
	}
	l.unit.findings[1], l.unit.ignores[1] = len(l.findings), len(l.ignores)
	l.units = append(l.units, l.unit)
	l.unit, l.entry = nil, ""
}

// noteFile records a file read (by its display path), once.
func (l *linter) noteFile(file string, role Role) {
	if l.unit != nil {
		l.unit.files = append(l.unit.files, file)
	}
	key := file
	if file != "<stdin>" {
		key = seenKey(file) // the entry point as named and as its server path are one file
	}
	if l.readFiles[key] {
		return
	}
	l.readFiles[key] = true
	via := l.entry
	if via == file {
		via = ""
	}
	l.read = append(l.read, FileRead{File: file, Role: role, Via: via})
}

// noteReach records that the current unit uses a file it did not read
// again (a user file linted for an earlier configuration).
func (l *linter) noteReach(file string) {
	if l.unit != nil {
		l.unit.files = append(l.unit.files, file)
	}
}

// keepChanged keeps the findings and ignores of the units that read or use
// a changed file (Config.Changed), and those in any file such a unit reads
// or uses (a user file linted for an earlier configuration) or in a
// changed file.
func (l *linter) keepChanged() {
	changed := map[string]bool{}
	for _, p := range l.cfg.Changed {
		changed[seenKey(p)] = true
	}
	inChanged := map[string]bool{}
	isChanged := func(file string) bool {
		v, ok := inChanged[file]
		if !ok {
			v = changed[seenKey(file)]
			inChanged[file] = v
		}
		return v
	}
	selected := make([]bool, len(l.units))
	files := map[string]bool{}
	for i, u := range l.units {
		if slices.ContainsFunc(u.files, isChanged) {
			selected[i] = true
			for _, f := range u.files {
				files[f] = true
			}
		}
	}
	keep := func(i int, file string) bool { return selected[i] || files[file] || isChanged(file) }
	var findings []Finding
	var ignores []*ignore
	for i, u := range l.units {
		for _, f := range l.findings[u.findings[0]:u.findings[1]] {
			if keep(i, f.File) {
				findings = append(findings, f)
			}
		}
		for _, ig := range l.ignores[u.ignores[0]:u.ignores[1]] {
			if keep(i, ig.file) {
				ignores = append(ignores, ig)
			}
		}
	}
	l.findings, l.ignores = findings, ignores
}
