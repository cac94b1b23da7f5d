package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/serverfs"
)

// Config is one lint run's input.
type Config struct {
	// Paths are files or directories; "-" is standard input.
	Paths []string
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Type forces the kind of every named file; filekind.Unknown detects it.
	Type filekind.Kind
	// Servers is the set of servers that read password files named directly.
	Servers ServerSet
	// Platform is the server's crypt(3).
	Platform htpasswd.Platform
	// Rules are the enabled rules.
	Rules []*Rule
	// FS reads every file a config references (includes, user files,
	// .htaccess); nil means the live filesystem (OSFS).
	FS serverfs.FS
	// FSFor, when set, picks the FS for one entry point (a file named or
	// found by a walk) by its local path; nil keeps FS. The CLI maps each
	// main configuration found in a checkout onto its own server
	// directory this way (two nginx.conf, staging and production, both
	// naming /etc/nginx).
	FSFor func(local string) serverfs.FS
	// Inferred are the mappings inferred from where main configurations
	// live; each is reported once (info, under the server's syntax rule)
	// at the first line of its configuration.
	Inferred []Inference
	// Skip, when set, leaves out a named path or a file or directory met in
	// a directory walk (ignore-paths). Files that a configuration references
	// are still read: they are part of that configuration.
	Skip func(path string, isDir bool) bool
	// Changed, when set, are the files a change touched (the pre-commit
	// hook's): Paths are walked as usual, but only the findings of the
	// entry points that read or use a changed file are kept (a main
	// configuration that includes a changed vhost, or references a changed
	// user file), and those in a changed file.
	Changed []string
	// LargeInput, when set, is called once, from any goroutine, before a
	// whole server configuration loads (apache2.conf, httpd.conf,
	// nginx.conf, an nginx -T dump), or else as soon as the configuration
	// files read reach LargeInputBytes: such runs may build a heap of tens
	// of megabytes (the CLI then asks the kernel for huge pages, which
	// costs about a millisecond, and is cheapest before loading starts).
	// Password files, streamed, do not count.
	LargeInput func()
	// MemoryBudget is the memory the run may use in bytes (the RAM or the
	// control group's limit; 0 when unknown). A configuration whose text
	// would need more (HeapPerConfigByte per byte read) is not linted: Lint
	// returns an error matching ErrMemory instead of the process dying
	// when an allocation fails. Its includes and the .htaccess files its
	// search reads count as they are read (the load stops at the include
	// past the budget; a .htaccess past it is left unread). Not counted:
	// the places a file included again adds (bounded by the loaders'
	// MaxIncludeExpansion: 25 files each included twice per level peak at
	// about 90 MB for nginx and 110 MB for Apache).
	MemoryBudget int64
	// MemoryLimitFrom names where MemoryBudget comes from, for the error.
	MemoryLimitFrom string
	// ScribbleLines overwrites each password-file line after its rules
	// have seen it (htpasswd.Scanner.Scribble), so that a rule that keeps
	// scanner-owned memory without cloning it reports garbage. For tests.
	ScribbleLines bool
	// FindingCap is the most findings of one rule kept for one file; the
	// rest are counted into one summary finding. 0 means DefaultFindingCap;
	// a negative cap keeps every finding (for tests that need them all).
	FindingCap int
}

// Inference is a mapping inferred from a main configuration found in a
// checkout.
type Inference struct {
	// Config is the configuration's local path.
	Config  string
	Mapping serverfs.Mapping
	// Why says what it was inferred from.
	Why string
}

// LargeInputBytes is the amount of configuration text after which
// Config.LargeInput is called.
const LargeInputBytes = 64 << 10

// Result is what a lint run found.
type Result struct {
	// Findings are sorted by file, line, column and rule.
	Findings []Finding
	// Files counts the files read.
	Files int
	// Read lists every file read, sorted by file.
	Read []FileRead
}

// ErrUnknownKind is returned (wrapped) for a named file whose kind cannot be
// told from its name or content.
var ErrUnknownKind = errors.New("cannot tell the file kind; use --type")

// SkipDir reports whether a directory is never walked.
func SkipDir(name string) bool {
	switch name {
	case ".git", "node_modules", "vendor":
		return true
	}
	return false
}

// Lint lints every path. It returns the findings of everything that could be
// read, and a joined error for the inputs that could not (exit code 3).
func Lint(cfg Config) (*Result, error) {
	if cfg.FS == nil {
		cfg.FS = serverfs.OSFS{}
	}
	cfg.FS = serverfs.NewCached(cfg.FS)
	l := &linter{cfg: cfg, seen: map[string]bool{}, userFiles: map[string]bool{}, ignoreAt: map[ignoreKey][]*ignore{}, readFiles: map[string]bool{},
		defaultFS: cfg.FS, cached: map[serverfs.FS]serverfs.FS{}, real: map[string]string{}, links: map[string][]string{},
		keys: map[string]string{}}
	l.col = newCollector(cfg.FindingCap, l.markDropIgnored)
	var errs []error
	// Main configurations first, as in a walk: a password file named next to
	// the nginx.conf that references it is then linted once, in context.
	paths := slices.Clone(cfg.Paths)
	slices.SortStableFunc(paths, func(a, b string) int { return mainConfigRank(a) - mainConfigRank(b) })
	for _, p := range paths {
		if err := l.path(p); err != nil {
			errs = append(errs, err)
		}
	}
	l.findings = l.col.flush()
	if len(cfg.Changed) > 0 {
		l.keepChanged()
	}
	l.relateLinks()
	l.applyIgnores()
	for i := range l.read {
		l.read[i].Links = slices.Sorted(slices.Values(l.links[l.read[i].File]))
	}
	slices.SortFunc(l.read, func(a, b FileRead) int { return strings.Compare(a.File, b.File) })
	return &Result{Findings: SortFindings(l.findings), Files: len(l.read), Read: l.read}, errors.Join(errs...)
}

// linter holds one run's state.
type linter struct {
	cfg Config
	// col collects the findings, at most the Config.FindingCap per rule and file;
	// findings is its flushed result, once every input is linted.
	col      *collector
	findings []Finding
	// read lists the files read, each once (readFiles); units are the
	// entry points linted so far, unit the current one, entry its path.
	read      []FileRead
	readFiles map[string]bool
	units     []*unit
	unit      *unit
	entry     string
	// real memoises realFile; links holds, by real file, the symlinks it
	// was reached through; keys holds the seenKey of the real files
	// realFile met, from the same lstat (one system call per file read,
	// not two: 2,500 .htaccess files cost 2,500 stats).
	linksMu sync.Mutex
	real    map[string]string
	links   map[string][]string
	keys    map[string]string
	// defaultFS is Config.FS; cached holds the FSFor answers, each
	// wrapped once in a stat cache.
	defaultFS serverfs.FS
	cached    map[serverfs.FS]serverfs.FS
	// seen holds the files linted so far by seenKey; pending those not
	// keyed yet (keying stats the file, and most runs never ask).
	seen    map[string]bool
	pending []string
	ignores []*ignore
	// ignoreAt indexes ignores by file and target line (0: whole file).
	ignoreAt map[ignoreKey][]*ignore
	// userFiles records referenced user files already linted, by path and
	// server set, so a file used by a hundred locations is read once.
	userFiles map[string]bool
	// wd is the working directory, read once for display paths.
	wd string
	// configBytes counts the configuration text read (loaders read
	// included files in parallel); large is set once LargeInput was called.
	configBytes atomic.Int64
	large       atomic.Bool
	// loadName and loadStart are the entry point being loaded and
	// configBytes before it, for noteIncludeRead (set before the load,
	// read by its readers).
	loadName  string
	loadStart int64
	// permNoted is set once the non-root "cannot check permissions" note
	// is reported.
	permNoted bool
}

// noteRead counts n bytes of configuration text read and calls
// Config.LargeInput once the total reaches LargeInputBytes.
func (l *linter) noteRead(n int) {
	if l.configBytes.Add(int64(n)) >= LargeInputBytes {
		l.largeInput()
	}
}

// noteIncludeRead counts n bytes of a file the configuration being loaded
// includes (or a .htaccess its search reads, from the search's goroutines)
// and returns a *MemoryError once the text read since its entry point
// needs more memory than Config.MemoryBudget: the loader then reads
// nothing more (a configuration of a hundred 60 MB includes would otherwise
// be read and parsed whole, past the memory, before lintConfig's check
// after the load), and lintConfig ends the run with that error.
func (l *linter) noteIncludeRead(n int) error {
	l.noteRead(n)
	return l.checkMemory(l.loadName, l.loadStart)
}

// HeapPerConfigByte is the heap a run needs per byte of configuration
// text, rounded up: the parsed trees and the model live to the end of the
// run. Measured on scripts/bench-nginx.sh's 10,000 servers (2.2 MB of
// text): 63 MB peak with the collector on, 100 MB with it off.
const HeapPerConfigByte = 32

// ErrMemory is matched by the error of a configuration too large for the
// memory the run may use.
var ErrMemory = errors.New("not enough memory")

// MemoryError says that a configuration would need more memory than the
// run may use.
type MemoryError struct {
	Name               string
	Text, Need, Budget int64
	From               string
}

func (e *MemoryError) Error() string {
	from := ""
	if e.From != "" {
		from = " (" + e.From + ")"
	}
	return fmt.Sprintf("%s: not linted: its configuration text is %s, and linting it needs about %s of memory, more than the %s this process may use%s",
		e.Name, serverfs.FormatSize(e.Text), serverfs.FormatSize(e.Need), serverfs.FormatSize(e.Budget), from)
}

// Is makes errors.Is(err, ErrMemory) hold.
func (e *MemoryError) Is(target error) bool { return target == ErrMemory }

// checkMemory returns a *MemoryError when the text of the configuration
// being loaded (read since start) needs more memory than
// Config.MemoryBudget.
func (l *linter) checkMemory(name string, start int64) error {
	text := l.configBytes.Load() - start
	if b := l.cfg.MemoryBudget; b > 0 && text*HeapPerConfigByte > b {
		return &MemoryError{Name: name, Text: text, Need: text * HeapPerConfigByte, Budget: b, From: l.cfg.MemoryLimitFrom}
	}
	return nil
}

// largeInput calls Config.LargeInput, once per run.
func (l *linter) largeInput() {
	if l.cfg.LargeInput != nil && l.large.CompareAndSwap(false, true) {
		l.cfg.LargeInput()
	}
}

func (l *linter) report(f Finding) {
	l.noteFinding(f.File)
	l.col.add(f)
}

func (l *linter) path(p string) error {
	if p == "-" {
		// Bounded like a named file: a pipe from /dev/zero ends.
		return l.input("<stdin>", l.cfg.Type, serverfs.LimitReader(l.cfg.Stdin, "<stdin>", serverfs.MaxUserFileSize), 0)
	}
	st, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("cannot read input: %w", err)
	}
	if l.cfg.Skip != nil && l.cfg.Skip(p, st.IsDir()) {
		return nil
	}
	if !st.IsDir() {
		return l.file(p, l.cfg.Type, true)
	}
	var errs []error
	type found struct {
		path    string
		kind    filekind.Kind
		confirm bool
	}
	var files []found
	walkErr := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, fmt.Errorf("walk %s: %w", path, err))
			return nil
		}
		if d.IsDir() {
			if path != p && (SkipDir(d.Name()) || l.cfg.Skip != nil && l.cfg.Skip(path, true)) {
				return filepath.SkipDir
			}
			return nil
		}
		if l.cfg.Skip != nil && l.cfg.Skip(path, false) {
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if l.cfg.Type != filekind.Unknown {
			files = append(files, found{path, l.cfg.Type, false})
			return nil
		}
		// One list of names (filekind.Names), shared with the pre-commit
		// hook; a name that needs it is confirmed by content (walkSniff),
		// once the main configs have claimed their files.
		if n, ok := filekind.Listed(filepath.ToSlash(path)); ok {
			files = append(files, found{path, n.Kind, n.Confirm})
		}
		return nil
	})
	if walkErr != nil {
		errs = append(errs, walkErr)
	}
	// Main configurations first: the files they include, the .htaccess files
	// they govern and the user files they reference are then linted in their
	// context, and skipped when the walk reaches them on their own.
	slices.SortStableFunc(files, func(a, b found) int { return walkRank(a.path, a.kind) - walkRank(b.path, b.kind) })
	for _, f := range files {
		kind := f.kind
		if f.confirm {
			if kind = l.walkSniff(f.path, kind); kind == filekind.Unknown {
				continue
			}
		}
		if err := l.file(f.path, kind, false); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// display returns the path to show for a file: relative to the working
// directory when the file lies below it, as the user named it.
func (l *linter) display(path string) string {
	return l.realFile(l.displayLocal(l.cfg.FS.Display(path)))
}

// realFile returns, for a local file that is a symlink (sites-enabled/x ->
// ../sites-available/x), the file behind it, the one a person edits, and
// remembers the link for the findings' related locations; else file. Rules
// running in parallel share the memo.
func (l *linter) realFile(file string) string {
	l.linksMu.Lock()
	defer l.linksMu.Unlock()
	if real, ok := l.real[file]; ok {
		return real
	}
	real := file
	fi, err := os.Lstat(file)
	if err == nil && fi.Mode()&os.ModeSymlink != 0 {
		fi = nil // the link's own inode is not the file's
		if target, err := filepath.EvalSymlinks(file); err == nil {
			if st, err := os.Stat(target); err == nil && st.Mode().IsRegular() {
				real, fi = l.displayLocal(target), st
				if !slices.Contains(l.links[real], file) {
					l.links[real] = append(l.links[real], file)
				}
			}
		}
	}
	if err == nil && fi != nil {
		if id, ok := serverfs.FileID(fi); ok {
			l.keys[real] = id
		}
	}
	l.real[file] = real
	return real
}

// displaySource is display(s.path), without a look at the file when the
// .htaccess search read it itself: not through a symlink, so it is the real
// file, and its identity is known.
func (l *linter) displaySource(s configSource) string {
	if s.id == "" {
		return l.display(s.path)
	}
	shown := l.displayLocal(l.cfg.FS.Display(s.path))
	l.linksMu.Lock()
	defer l.linksMu.Unlock()
	if _, ok := l.real[shown]; !ok {
		l.real[shown] = shown
		l.keys[shown] = s.id
	}
	return shown
}

// fileKey is seenKey(local), from realFile's memo when it met the file.
func (l *linter) fileKey(local string) string {
	l.linksMu.Lock()
	key, ok := l.keys[local]
	l.linksMu.Unlock()
	if ok {
		return key
	}
	return seenKey(local)
}

// relateLinks adds to every finding in a file reached through a symlink
// the symlink, as a related location.
func (l *linter) relateLinks() {
	if len(l.links) == 0 {
		return
	}
	for i := range l.findings {
		f := &l.findings[i]
		links := slices.Clone(l.links[f.File])
		slices.Sort(links)
		for _, link := range links {
			f.Related = append(f.Related, Related{File: link, Message: "the file is enabled through this symlink"})
		}
	}
}

// displayLocal returns the path to show for a local file: relative to the
// working directory when it lies below it, else as it is.
func (l *linter) displayLocal(path string) string {
	if !filepath.IsAbs(path) {
		return path
	}
	if l.wd == "" {
		wd, err := os.Getwd()
		if err != nil {
			return path
		}
		l.wd = wd
	}
	wd := l.wd
	if !strings.HasPrefix(path, wd) && !strings.Contains(path, "/.") && !strings.Contains(path, "//") {
		return path // a clean path outside the working directory (Rel would climb out)
	}
	if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return path
}

// noteSeen records that a local file is linted as part of a
// configuration, so that a walk does not lint it again on its own.
func (l *linter) noteSeen(local string) { l.pending = append(l.pending, local) }

// markSeen records that a local file is linted; it returns false when it
// already was (as part of a configuration, or named twice).
func (l *linter) markSeen(local string) bool {
	key := l.keySeen(local)
	if l.seen[key] {
		return false
	}
	l.seen[key] = true
	return true
}

// isSeen reports whether a local file was linted already.
func (l *linter) isSeen(local string) bool { return l.seen[l.keySeen(local)] }

// keySeen keys the pending files, then local.
func (l *linter) keySeen(local string) string {
	for _, p := range l.pending {
		l.seen[l.fileKey(p)] = true
	}
	l.pending = l.pending[:0]
	return l.fileKey(local)
}

// seenKey identifies a file: by device and inode where it exists, so a
// vhost reached through a sites-enabled/ symlink is the one in
// sites-available/; else by absolute path.
func seenKey(local string) string {
	if fi, err := os.Stat(local); err == nil {
		if id, ok := serverfs.FileID(fi); ok {
			return id
		}
	}
	key := filepath.Clean(local)
	if abs, err := filepath.Abs(local); err == nil {
		key = abs
	}
	return key
}

// mainConfigRank orders named inputs: server entry points (0) before
// anything else (1).
func mainConfigRank(path string) int {
	switch filepath.Base(path) {
	case "nginx.conf", "apache2.conf", "httpd.conf":
		return 0
	}
	return 1
}

// walkRank orders a walk: main configs, then other configs (vhost files,
// .htaccess), then password files, so that each file is linted in the
// context that references it.
func walkRank(path string, kind filekind.Kind) int {
	switch {
	case mainConfigRank(path) == 0:
		return 0
	case kind.IsUserFile():
		return 2
	}
	return 1
}

// walkSniff confirms the kind of a file a walk found under a name that
// needs its content (filekind.Name.Confirm): for a password, digest or
// group file name, that the content is one (htpasswd-notes may be prose);
// for a configuration name (sites-available/*, *.conf), an Apache vhost or
// nginx server file told by content. Other files are not inputs
// (filekind.Unknown), nor are files already linted as part of a main
// config.
func (l *linter) walkSniff(path string, named filekind.Kind) filekind.Kind {
	if l.isSeen(path) {
		return filekind.Unknown
	}
	f, err := os.Open(path)
	if err != nil {
		return filekind.Unknown
	}
	defer f.Close()
	head := make([]byte, 8192)
	n, _ := io.ReadFull(f, head)
	if named != filekind.Unknown {
		if filekind.Confirm(named, head[:n]) {
			return named
		}
		return filekind.Unknown
	}
	return filekind.SniffConfig(head[:n])
}

// file lints one named file; explicit is true when the user named it.
func (l *linter) file(path string, kind filekind.Kind, explicit bool) error {
	if !l.markSeen(path) {
		return nil
	}
	// Only a regular file is read: a device (/dev/zero never ends), a FIFO
	// (its open would block) or a socket named on the command line is an
	// error, exit 3 ("-" reads standard input).
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if err := serverfs.CheckRegular(path, st, serverfs.MaxUserFileSize); err != nil {
		if errors.Is(err, serverfs.ErrTooLarge) {
			l.reportNotChecked(Warning, l.display(path), "not checked: the file is %s, over authlint's %s limit",
				serverfs.FormatSize(st.Size()), serverfs.FormatSize(serverfs.MaxUserFileSize))
			return nil
		}
		return fmt.Errorf("read %s: %w", path, unwrapPathErr(err))
	}
	f, err := serverfs.OpenRegular(path, serverfs.MaxUserFileSize)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, unwrapPathErr(err))
	}
	defer f.Close()
	return l.input(path, kind, f, int(min(st.Size(), 1<<31)))
}

// unwrapPathErr drops the *fs.PathError around err: the messages name the
// path already.
func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// useFS makes the FS of the entry point at local path name current (FSFor).
func (l *linter) useFS(name string) {
	l.cfg.FS = l.defaultFS
	if l.cfg.FSFor == nil || name == "<stdin>" {
		return
	}
	fsys := l.cfg.FSFor(name)
	if fsys == nil {
		return
	}
	c, ok := l.cached[fsys]
	if !ok {
		c = serverfs.NewCached(fsys)
		l.cached[fsys] = c
	}
	l.cfg.FS = c
}

// input dispatches one input by kind, sniffing it when needed.
func (l *linter) input(name string, kind filekind.Kind, r io.Reader, size int) error {
	l.useFS(name)
	if kind == filekind.Unknown {
		head := make([]byte, 4096)
		n, err := io.ReadFull(r, head)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read %s: %w", name, err)
		}
		head = head[:n]
		kind = filekind.Sniff(name, head)
		if kind == filekind.Unknown {
			return fmt.Errorf("%s: %w", name, ErrUnknownKind)
		}
		r = io.MultiReader(bytes.NewReader(head), r)
	}
	shown := name
	if name != "<stdin>" {
		shown = l.realFile(l.displayLocal(name))
	}
	l.beginUnit(shown)
	defer l.endUnit()
	role := RoleConfig
	if kind.IsUserFile() {
		role = RoleUserFile
	}
	l.noteFile(shown, role)
	switch {
	case kind.IsUserFile():
		return l.userFile(UserFileInput{Name: name, Kind: kind, Servers: l.cfg.Servers, SizeHint: size}, r)
	case kind == filekind.Nginx:
		return l.lintConfig(name, r, &nginxRun{})
	case kind == filekind.Apache:
		return l.lintConfig(name, r, &apacheRun{})
	}
	return fmt.Errorf("%s: %w", name, ErrUnknownKind)
}

// enabled returns the enabled rules that have fn set.
func (l *linter) enabled(has func(*Rule) bool) []*Rule {
	return slices.DeleteFunc(slices.Clone(l.cfg.Rules), func(r *Rule) bool { return !has(r) })
}
