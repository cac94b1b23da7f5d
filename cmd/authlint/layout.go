package main

import (
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/authlint/authlint/internal/layout"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/rules"
)

// provided says who provides a server path on the server: the project's
// server-files, or a distribution's package (layout.Stock).
func provided(serverFiles layout.ServerFiles) func(string) string {
	return func(p string) string {
		if serverFiles.Match(p) {
			return "the server provides it (server-files in .authlint.yaml)"
		}
		if pkg, ok := layout.Stock(p); ok {
			return pkg + " installs it on the server"
		}
		return ""
	}
}

// inferLayout maps, when no mapping is declared, the server directory of
// every main configuration found under paths that lives in a checkout onto
// that configuration's directory (layout.Infer), and makes the run offline
// unless --live (or live: true) asks for this machine's files. Each
// configuration, and each file under its directory, is linted with its own
// mapping (two nginx.conf naming /etc/nginx, staging and production); a
// file elsewhere with every mapping no other configuration competes for.
func (s *settings) inferLayout(paths []string) {
	if len(s.maps) > 0 {
		return
	}
	var found []layout.Inferred
	for _, p := range mainConfigs(paths, s.skip) {
		data, err := readHead(p, 1<<20)
		if err != nil {
			continue
		}
		if inf, ok := layout.Infer(p, data); ok {
			inf.Local = shortLocal(inf.Local)
			found = append(found, inf)
		}
	}
	if len(found) == 0 {
		return
	}
	// A server directory inferred onto one local directory only is mapped
	// for every file; one that several configurations compete for only
	// for the files under each of them.
	locals := map[string][]string{}
	for _, inf := range found {
		if !slices.Contains(locals[inf.Server], inf.Local) {
			locals[inf.Server] = append(locals[inf.Server], inf.Local)
		}
	}
	var shared []serverfs.Mapping
	for _, inf := range found {
		m := serverfs.Mapping{Server: inf.Server, Local: inf.Local, Inferred: true}
		if len(locals[inf.Server]) == 1 && !slices.Contains(shared, m) {
			shared = append(shared, m)
		}
	}
	s.live = s.liveSet
	newFS := func(maps []serverfs.Mapping) serverfs.FS {
		mfs := serverfs.NewMapFS(maps, s.live)
		mfs.Provided = provided(s.project.ServerFiles)
		return mfs
	}
	s.maps = shared
	s.fs = newFS(shared)
	type own struct {
		local string
		fs    serverfs.FS
	}
	var owns []own
	for _, inf := range found {
		m := serverfs.Mapping{Server: inf.Server, Local: inf.Local, Inferred: true}
		s.inferred = append(s.inferred, rules.Inference{Config: inf.Config, Mapping: m, Why: inf.Why})
		if len(locals[inf.Server]) == 1 {
			continue
		}
		maps := []serverfs.Mapping{m}
		for _, sh := range shared {
			if sh.Server != m.Server {
				maps = append(maps, sh)
			}
		}
		owns = append(owns, own{inf.Local, newFS(maps)})
	}
	if len(owns) == 0 {
		return
	}
	// The deepest local directory holding a file picks its FS.
	slices.SortStableFunc(owns, func(a, b own) int { return len(b.local) - len(a.local) })
	s.fsFor = func(local string) serverfs.FS {
		abs, err := filepath.Abs(local)
		if err != nil {
			return nil
		}
		for _, o := range owns {
			dir, err := filepath.Abs(o.local)
			if err != nil {
				continue
			}
			if _, ok := serverfs.Within(dir, abs); ok {
				return o.fs
			}
		}
		return nil
	}
}

// mainConfigs lists the main configurations (nginx.conf, apache2.conf,
// httpd.conf) among paths and under the directories among them, as a walk
// finds them.
func mainConfigs(paths []string, skip func(string, bool) bool) []string {
	var out []string
	for _, p := range paths {
		if p == "-" {
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			continue
		}
		if !st.IsDir() {
			if layout.IsMainConfig(p) {
				out = append(out, p)
			}
			continue
		}
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() {
				if path != p && (rules.SkipDir(d.Name()) || skip != nil && skip(path, true)) {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && layout.IsMainConfig(path) && (skip == nil || !skip(path, false)) {
				out = append(out, path)
			}
			return nil
		})
	}
	return out
}

// readHead reads up to n bytes of a regular file (never a FIFO or a
// device: opening a FIFO would block).
func readHead(p string, n int64) ([]byte, error) {
	f, err := serverfs.OpenRegular(p, serverfs.MaxConfigSize)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// shortLocal returns a local directory relative to the working directory
// when it lies below it (deploy/nginx), for messages; else as it is.
func shortLocal(dir string) string {
	wd, err := os.Getwd()
	if err != nil {
		return dir
	}
	if rel, err := filepath.Rel(wd, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return rel
	}
	return dir
}
