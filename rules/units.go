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
	// File is the path shown in findings: for a file reached through a
	// symlink (sites-enabled/site), the file behind it.
	File string
	// Links are the symlinks the file was reached through, sorted.
	Links []string
	Role  Role
	// Via is the configuration entry point the file was read for ("" for
	// the entry point itself and for files named or found on their own).
	Via string
}

// unit is one entry point's part of a run: the files its findings are in
// (found only with Config.Changed: the findings themselves go to the
// bounded collector), the ignores it added (an index range) and the files
// it read.
type unit struct {
	findingFiles map[string]bool
	ignores      [2]int
	files        []string
}

// beginUnit starts an entry point's unit.
func (l *linter) beginUnit(entry string) {
	l.unit = &unit{findingFiles: map[string]bool{}, ignores: [2]int{len(l.ignores), 0}}
	l.entry = entry
}

// endUnit closes the current unit.
func (l *linter) endUnit() {
	if l.unit == nil {
		return
	}
	l.unit.ignores[1] = len(l.ignores)
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
		key = l.fileKey(file) // the entry point as named and as its server path are one file
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

// noteFinding records the file of a finding of the current unit, for
// keepChanged.
func (l *linter) noteFinding(file string) {
	if l.unit != nil && len(l.cfg.Changed) > 0 {
		l.unit.findingFiles[file] = true
	}
}

// keepChanged keeps the findings and ignores of the units that read or use
// a changed file (Config.Changed), and those in any file such a unit reads,
// uses (a user file linted for an earlier configuration) or reports on, or
// in a changed file.
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
			for f := range u.findingFiles {
				files[f] = true
			}
		}
	}
	keep := func(i int, file string) bool { return selected[i] || files[file] || isChanged(file) }
	var findings []Finding
	for _, f := range l.findings {
		if files[f.File] || isChanged(f.File) {
			findings = append(findings, f)
		}
	}
	var ignores []*ignore
	for i, u := range l.units {
		for _, ig := range l.ignores[u.ignores[0]:u.ignores[1]] {
			if keep(i, ig.file) {
				ignores = append(ignores, ig)
			}
		}
	}
	l.findings, l.ignores = findings, ignores
}
