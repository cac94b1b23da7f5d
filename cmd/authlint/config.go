package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/alecthomas/kong"
	"gopkg.in/yaml.v3"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/layout"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/rules"
)

// configName is the project configuration file, found by walking upward from
// the working directory.
const configName = ".authlint.yaml"

// fileConfig is the YAML shape of .authlint.yaml. Scalars keep their line
// for error messages.
type fileConfig struct {
	Enable      []lined   `yaml:"enable"`
	Disable     []lined   `yaml:"disable"`
	Severity    yaml.Node `yaml:"severity"`
	FailOn      *lined    `yaml:"fail-on"`
	Platform    *lined    `yaml:"platform"`
	Server      *lined    `yaml:"server"`
	Root        *lined    `yaml:"root"`
	Map         yaml.Node `yaml:"map"`
	Live        *bool     `yaml:"live"`
	IgnorePaths []lined   `yaml:"ignore-paths"`
	ServerFiles []lined   `yaml:"server-files"`
}

// configKeys are the keys of fileConfig, for the unknown-key message.
const configKeys = "enable, disable, severity, fail-on, platform, server, root, map, live, ignore-paths, server-files"

// lined is a YAML string with its line.
type lined struct {
	Value string
	Line  int
}

// UnmarshalYAML accepts a scalar only.
func (l *lined) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: want a string, not a %s", n.Line, kindName(n.Kind))
	}
	l.Value, l.Line = n.Value, n.Line
	return nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	return "scalar"
}

// project is a loaded, checked configuration file. The zero value is "no
// file": every setting unset.
type project struct {
	// Path is the file read; "" when there is none.
	Path string
	// Dir is the file's directory (absolute): relative paths in the file
	// and ignore-paths patterns are relative to it.
	Dir             string
	Enable, Disable []string
	// Severity overrides a rule's severity, by rule ID.
	Severity map[string]rules.Severity
	// FailOn, Platform and Server are "" when unset.
	FailOn, Platform, Server string
	// Maps holds root (as "/") and map, local directories absolute.
	Maps []serverfs.Mapping
	// Live is nil when unset.
	Live        *bool
	IgnorePaths []string
	// ServerFiles are server-path globs of files the server provides.
	ServerFiles layout.ServerFiles
}

// findConfig returns the first .authlint.yaml in dir or a parent directory,
// up to the filesystem root, or "" when there is none.
func findConfig(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("find %s: %w", configName, err)
	}
	for {
		p := filepath.Join(dir, configName)
		st, err := os.Stat(p)
		switch {
		case err == nil && !st.IsDir():
			return p, nil
		case err != nil && !errors.Is(err, os.ErrNotExist):
			return "", fmt.Errorf("find %s: %w", configName, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// maxProjectConfig bounds the .authlint.json file.
const maxProjectConfig = 1 << 20

// loadConfig reads and checks a configuration file.
func loadConfig(file string) (*project, error) {
	data, err := serverfs.ReadRegular(file, maxProjectConfig) // not a device or FIFO
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return parseConfig(data, file, filepath.Dir(abs))
}

// unknownField matches yaml.v3's KnownFields message.
var unknownField = regexp.MustCompile(`^line (\d+): field (.*) not found in type \S+$`)

// parseConfig checks a configuration file's content; name is shown in
// errors and dir is the absolute directory relative paths resolve against.
func parseConfig(data []byte, name, dir string) (*project, error) {
	fc, err := decodeConfig(data, name)
	if err != nil {
		return nil, err
	}
	p := &project{Path: name, Dir: dir}
	bad := func(line int, format string, args ...any) error {
		return fmt.Errorf("config: %s: line %d: %s", name, line, fmt.Sprintf(format, args...))
	}
	for _, step := range []func(*fileConfig, badLine) error{p.rulesFrom, p.settingsFrom, p.pathsFrom} {
		if err := step(fc, bad); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// badLine formats an error at a line of the configuration file.
type badLine func(line int, format string, args ...any) error

// decodeConfig decodes the YAML, refusing unknown keys with the list of
// known ones.
func decodeConfig(data []byte, name string) (*fileConfig, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var fc fileConfig
	if err := dec.Decode(&fc); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			msgs := make([]string, 0, len(te.Errors))
			for _, e := range te.Errors {
				if m := unknownField.FindStringSubmatch(e); m != nil {
					e = fmt.Sprintf("line %s: unknown key %q (known keys: %s)", m[1], m[2], configKeys)
				}
				msgs = append(msgs, name+": "+e)
			}
			return nil, fmt.Errorf("config: %s", strings.Join(msgs, "; "))
		}
		return nil, fmt.Errorf("config: %s: %w", name, err)
	}
	return &fc, nil
}

// rulesFrom reads enable, disable and severity.
func (p *project) rulesFrom(fc *fileConfig, bad badLine) error {
	all := rules.All()
	for _, list := range []struct {
		in  []lined
		out *[]string
	}{{fc.Enable, &p.Enable}, {fc.Disable, &p.Disable}} {
		for _, l := range list.in {
			if _, err := rules.Select(all, []string{l.Value}, nil); err != nil {
				return bad(l.Line, "%v", err)
			}
			*list.out = append(*list.out, l.Value)
		}
	}
	if err := mapping(&fc.Severity, "severity", func(k, v *yaml.Node) error {
		r, ok := rules.Lookup(all, k.Value)
		if !ok {
			return bad(k.Line, "severity: no rule %q (see `authlint rules`)", k.Value)
		}
		sev, err := rules.ParseSeverity(v.Value)
		if err != nil {
			return bad(v.Line, "severity of %s: %v", r.ID, err)
		}
		if p.Severity == nil {
			p.Severity = map[string]rules.Severity{}
		}
		if _, dup := p.Severity[r.ID]; dup {
			return bad(k.Line, "severity of %s set twice", r.ID)
		}
		p.Severity[r.ID] = sev
		return nil
	}, bad); err != nil {
		return err
	}
	return nil
}

// settingsFrom reads fail-on, platform and server.
func (p *project) settingsFrom(fc *fileConfig, bad badLine) error {
	if l := fc.FailOn; l != nil {
		if _, ok := failThreshold(l.Value); !ok && l.Value != "never" {
			return bad(l.Line, "fail-on: unknown value %q (want error, warning, info or never)", l.Value)
		}
		p.FailOn = l.Value
	}
	if l := fc.Platform; l != nil {
		if _, err := htpasswd.ParsePlatform(l.Value); err != nil {
			return bad(l.Line, "platform: %v", err)
		}
		p.Platform = l.Value
	}
	if l := fc.Server; l != nil {
		if _, err := rules.ParseServerSet(l.Value); err != nil || l.Value == "" {
			return bad(l.Line, "server: unknown server %q (want any, apache or nginx)", l.Value)
		}
		p.Server = l.Value
	}
	return nil
}

// pathsFrom reads root, map, live and ignore-paths, relative to the
// file's directory.
func (p *project) pathsFrom(fc *fileConfig, bad badLine) error {
	dir := p.Dir
	local := func(s string) string {
		if filepath.IsAbs(s) {
			return filepath.Clean(s)
		}
		return filepath.Join(dir, s)
	}
	if l := fc.Root; l != nil {
		if l.Value == "" {
			return bad(l.Line, "root: empty directory")
		}
		p.Maps = append(p.Maps, serverfs.Mapping{Server: "/", Local: local(l.Value)})
	}
	if err := mapping(&fc.Map, "map", func(k, v *yaml.Node) error {
		if !filepath.IsAbs(k.Value) {
			return bad(k.Line, "map: server path %q is not absolute", k.Value)
		}
		if v.Value == "" {
			return bad(v.Line, "map: empty local directory for %s", k.Value)
		}
		server := filepath.Clean(k.Value)
		for _, m := range p.Maps {
			if m.Server == server {
				return bad(k.Line, "map: %s mapped twice (root maps /)", server)
			}
		}
		p.Maps = append(p.Maps, serverfs.Mapping{Server: server, Local: local(v.Value)})
		return nil
	}, bad); err != nil {
		return err
	}
	p.Live = fc.Live
	for _, l := range fc.IgnorePaths {
		if err := checkGlob(l.Value); err != nil {
			return bad(l.Line, "ignore-paths: %v", err)
		}
		p.IgnorePaths = append(p.IgnorePaths, l.Value)
	}
	for _, l := range fc.ServerFiles {
		if err := layout.CheckPattern(l.Value); err != nil {
			return bad(l.Line, "server-files: %q: %v", l.Value, err)
		}
		p.ServerFiles = append(p.ServerFiles, l.Value)
	}
	return nil
}

// mapping calls fn for each key and value of a YAML mapping of scalars; an
// absent key (zero node) or null is no mapping.
func mapping(n *yaml.Node, key string, fn func(k, v *yaml.Node) error, bad func(int, string, ...any) error) error {
	if n.Kind == 0 || n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return bad(n.Line, "%s: want a mapping, not a %s", key, kindName(n.Kind))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
			return bad(k.Line, "%s: keys and values must be strings", key)
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

// checkGlob reports a malformed ignore-paths pattern.
func checkGlob(pattern string) error {
	if strings.TrimSpace(pattern) == "" {
		return errors.New("empty pattern")
	}
	for _, seg := range strings.Split(strings.Trim(pattern, "/"), "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return fmt.Errorf("bad pattern %q: %w", pattern, err)
		}
	}
	return nil
}

// ignoreMatcher returns the Skip function for ignore-paths: a path is
// skipped when it, or a directory above it, matches a pattern. Paths are
// matched as slash paths relative to dir; paths outside dir never match.
// "**" matches any number of directories; a pattern without a "/" matches
// a name at any depth (like .gitignore); a leading "/" anchors at dir.
func ignoreMatcher(dir string, patterns []string) func(string, bool) bool {
	if len(patterns) == 0 {
		return nil
	}
	split := make([][]string, 0, len(patterns))
	for _, p := range patterns {
		if !strings.Contains(strings.TrimSuffix(p, "/"), "/") {
			p = "**/" + p
		}
		split = append(split, strings.Split(strings.Trim(p, "/"), "/"))
	}
	return func(p string, _ bool) bool {
		abs, err := filepath.Abs(p)
		if err != nil {
			return false
		}
		rel, err := filepath.Rel(dir, abs)
		if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return false
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		for n := 1; n <= len(parts); n++ {
			for _, pat := range split {
				if globMatch(pat, parts[:n]) {
					return true
				}
			}
		}
		return false
	}
}

// globMatch matches path segments against pattern segments; "**" matches
// zero or more segments.
func globMatch(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if globMatch(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// settings are a check run's effective settings: command-line flags over
// the configuration file over the defaults.
type settings struct {
	project  *project
	failOn   string
	platform string
	server   string
	rules    []*rules.Rule
	maps     []serverfs.Mapping
	live     bool
	fs       serverfs.FS
	skip     func(string, bool) bool
	severity map[string]rules.Severity
	// liveSet is set when --live or live: asked for the live system;
	// fsFor and inferred come from inferLayout.
	liveSet  bool
	fsFor    func(string) serverfs.FS
	inferred []rules.Inference
}

// explicitFlags returns the names of the flags given on the command line.
func explicitFlags(kctx *kong.Context) map[string]bool {
	set := map[string]bool{}
	if kctx == nil {
		return set
	}
	for _, p := range kctx.Path {
		if p.Flag != nil && !p.Resolved {
			set[p.Flag.Name] = true
		}
	}
	return set
}

// settings loads the configuration file and merges it with the flags. Its
// errors are usage errors (exit 2).
func (c *checkCmd) settings(e *env, kctx *kong.Context) (*settings, error) {
	usage := func(err error) error { return &exitError{exitUsage, err} }
	proj := &project{}
	switch {
	case c.Config != "":
		p, err := loadConfig(c.Config)
		if err != nil {
			return nil, usage(err)
		}
		proj = p
	default:
		getwd := e.getwd
		if getwd == nil {
			getwd = os.Getwd
		}
		wd, err := getwd()
		if err != nil {
			return nil, usage(fmt.Errorf("config: %w", err))
		}
		file, err := findConfig(wd)
		if err != nil {
			return nil, usage(fmt.Errorf("config: %w", err))
		}
		if file != "" {
			if proj, err = loadConfig(file); err != nil {
				return nil, usage(err)
			}
		}
	}
	set := explicitFlags(kctx)
	pick := func(flag, flagValue, fileValue string) string {
		if set[flag] || fileValue == "" {
			return flagValue
		}
		return fileValue
	}
	s := &settings{
		project:  proj,
		failOn:   pick("fail-on", c.FailOn, proj.FailOn),
		platform: pick("platform", c.Platform, proj.Platform),
		server:   pick("server", c.Server, proj.Server),
		severity: proj.Severity,
	}
	var err error
	if s.rules, err = selectRules(rules.All(), proj.Enable, proj.Disable, c.Enable, c.Disable); err != nil {
		return nil, usage(err)
	}
	// Mappings: the file's, then the flags', a flag replacing the file's
	// mapping of the same server path.
	var flagMaps []serverfs.Mapping
	if c.Root != "" {
		flagMaps = append(flagMaps, serverfs.Mapping{Server: "/", Local: filepath.Clean(c.Root)})
	}
	for _, m := range c.Map {
		mp, err := serverfs.ParseMapping(m)
		if err != nil {
			return nil, usage(err)
		}
		flagMaps = append(flagMaps, mp)
	}
	s.maps = mergeMaps(proj.Maps, flagMaps)
	for _, m := range s.maps {
		if st, err := os.Stat(m.Local); err != nil || !st.IsDir() {
			return nil, usage(fmt.Errorf("mapping %s=%s: the local directory does not exist", m.Server, m.Local))
		}
	}
	switch {
	case c.Live:
		s.live = true
	case c.Offline:
		s.live = false
	case proj.Live != nil:
		s.live = *proj.Live
	default:
		s.live = len(s.maps) == 0
	}
	s.liveSet = c.Live || !c.Offline && proj.Live != nil && *proj.Live
	if len(s.maps) > 0 || !s.live {
		mfs := serverfs.NewMapFS(s.maps, s.live)
		mfs.Provided = provided(proj.ServerFiles)
		s.fs = mfs
	}
	if proj.Dir != "" {
		s.skip = ignoreMatcher(proj.Dir, proj.IgnorePaths)
	}
	return s, nil
}

// mergeMaps returns base with over applied: a mapping of the same server
// path replaces base's; the others are added. The first mapping of a server
// path wins within over.
func mergeMaps(base, over []serverfs.Mapping) []serverfs.Mapping {
	out := slices.Clone(base)
	seen := map[string]bool{}
	for _, m := range over {
		if seen[m.Server] {
			continue
		}
		seen[m.Server] = true
		out = slices.DeleteFunc(out, func(b serverfs.Mapping) bool { return b.Server == m.Server })
		out = append(out, m)
	}
	return out
}

// selectRules applies the file's enable/disable, then the flags' on top: a
// rule matched by a flag pattern takes the flags' verdict, any other rule
// keeps the file's.
func selectRules(all []*rules.Rule, fileEnable, fileDisable, flagEnable, flagDisable []string) ([]*rules.Rule, error) {
	fromFile, err := rules.Select(all, fileEnable, fileDisable)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	if len(flagEnable)+len(flagDisable) == 0 {
		return fromFile, nil
	}
	fromFlags, err := rules.Select(all, flagEnable, flagDisable)
	if err != nil {
		return nil, err
	}
	// Select with every flag pattern as a disable pattern leaves exactly
	// the rules no flag pattern matches.
	untouched, err := rules.Select(all, nil, append(slices.Clone(flagEnable), flagDisable...))
	if err != nil {
		return nil, err
	}
	var out []*rules.Rule
	for _, r := range all {
		on := slices.Contains(fromFlags, r)
		if slices.Contains(untouched, r) {
			on = slices.Contains(fromFile, r)
		}
		if on {
			out = append(out, r)
		}
	}
	return out, nil
}

// applySeverity gives findings the configured severity of their rule.
// Findings a rule reports at another severity than its default (NG401's
// "cannot check" info) keep theirs.
func (s *settings) applySeverity(findings []rules.Finding) {
	if len(s.severity) == 0 {
		return
	}
	defaults := map[string]rules.Severity{}
	for _, r := range rules.All() {
		defaults[r.ID] = r.Severity
	}
	for i := range findings {
		f := &findings[i]
		if sev, ok := s.severity[f.RuleID]; ok && f.Severity == defaults[f.RuleID] {
			f.Severity = sev
		}
	}
}

// ruleTable returns the rules for the printers, with configured severities
// (copies: the registry's rules are never modified).
func (s *settings) ruleTable() []*rules.Rule {
	all := rules.All()
	for i, r := range all {
		if sev, ok := s.severity[r.ID]; ok {
			c := *r
			c.Severity = sev
			all[i] = &c
		}
	}
	return all
}
