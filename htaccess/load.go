package htaccess

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// MaxIncludeDepth bounds nested Include directives and nested directory
// includes, like httpd's AP_MAX_INCLUDE_DEPTH and AP_MAX_INCLUDE_DIR_DEPTH.
const MaxIncludeDepth = 128

// MaxIncludeExpansion bounds the nodes (directives and sections) that
// files included again add to one configuration: each place after the
// first that includes a file gets its tree again (the first place's tree
// when nothing in it depends on the place, else a copy of what does, the
// rest shared). An Include that
// would go past it is not followed, with one warning per load: a few files
// that include each other many times could otherwise make a configuration
// of billions of nodes. (What a file adds the first time it is included is
// bounded by its size.)
const MaxIncludeExpansion = 1 << 18

// LoadOptions configures Load.
type LoadOptions struct {
	// ServerRoot resolves relative Include, IncludeOptional and
	// LoadModule paths. It defaults to the directory of the main file and
	// is replaced by a ServerRoot directive from that point on.
	ServerRoot string
	// Defines are the names defined before the main file is read, like
	// httpd -D NAME. A non-empty value also makes ${NAME} expand to it.
	Defines map[string]string
	// EnvVars is the process environment httpd falls back to when a
	// ${NAME} has no Define.
	EnvVars map[string]string
	// Visit, when set, is called for every directive and section the
	// loader processes, in load order, once its arguments are expanded,
	// with the ServerRoot in force there. Nodes inside an <IfDefine> that
	// does not hold are not visited. It lets a caller start work on what
	// the configuration names before loading ends.
	Visit func(n *Node, serverRoot string)

	maxExpansion int  // MaxIncludeExpansion when 0 (tests set it lower)
	copyAll      bool // copy whole trees, sharing nothing (tests compare)
}

// Module is a LoadModule directive.
type Module struct {
	// Name is the module identifier, e.g. "auth_basic_module".
	Name string
	// Path is the shared object, resolved against ServerRoot.
	Path string
	// Node is the LoadModule directive.
	Node *Node
}

// Config is a configuration tree loaded from a main file.
type Config struct {
	// Main is the main file; nil only if it could not be read.
	Main *File
	// Files are all files included, in load order, Main first. A file
	// included twice appears twice, as httpd reads it twice; the loader
	// reads and parses it once and gives each place a copy of what depends
	// on the place (arguments expand, includes resolve and <IfDefine>
	// holds where the file is included) and shares the rest: a file whose
	// tree depends on nothing of the place appears as the same *File each
	// time (Walk then meets a tree in several places).
	Files []*File
	// ServerRoot is the server root in force at the end of loading.
	ServerRoot string
	// Defines are the defined names at the end of loading (Define and
	// UnDefine applied in file order on top of LoadOptions.Defines).
	Defines map[string]string
	// EnvVars is the environment ${NAME} fell back to.
	EnvVars map[string]string
	// Modules are the LoadModule directives read, in load order.
	Modules []Module
	// Errors are the parse errors of every file and the load errors, in
	// load order, each once.
	Errors []*Error

	ifDefine map[*Node]bool
}

// Defined reports whether name is defined at the end of loading, which is
// what an <IfDefine name> after all Define lines sees.
func (c *Config) Defined(name string) bool {
	_, ok := c.Defines[name]
	return ok
}

// IfDefineHolds reports how the loader evaluated the <IfDefine> section n
// with the defines in force where it appears. evaluated is false for a
// section the loader did not evaluate (not an <IfDefine>, or nested in one
// that did not hold, which httpd skips unread).
func (c *Config) IfDefineHolds(n *Node) (holds, evaluated bool) {
	holds, evaluated = c.ifDefine[n]
	return holds, evaluated
}

// loader holds the state of one Load call.
type loader struct {
	src      Source
	cfg      *Config
	root     string
	stack    []string // files being read, outermost first
	dirDepth int
	visit    func(*Node, string)
	// files are the files read and parsed, by path: each is read once.
	files map[string]*parsed
	// expanded counts the nodes of the copies of files included again,
	// up to maxExpansion; capped is set once reaching it is reported.
	expanded, maxExpansion int
	capped                 bool
	copyAll                bool
	reported               map[errorKey]bool
	// events counts the load errors (reported or repeated) and the
	// includes cut by the expansion cap: a file whose first place saw
	// none may be replayed (reuse).
	events int
}

// errorKey identifies a load error: a file included in several places
// has the same problem in each.
type errorKey struct {
	file string
	span Span
	msg  string
}

// Load reads mainPath and every file it includes from src. It never fails:
// problems are in Config.Errors.
func Load(src Source, mainPath string, opts LoadOptions) *Config {
	root := opts.ServerRoot
	if root == "" {
		root = path.Dir(mainPath)
	}
	if !path.IsAbs(mainPath) && path.IsAbs(root) {
		mainPath = path.Join(root, mainPath)
	}
	l := &loader{
		src:   src,
		root:  path.Clean(root),
		visit: opts.Visit,
		cfg: &Config{
			Defines:  make(map[string]string, len(opts.Defines)),
			EnvVars:  opts.EnvVars,
			ifDefine: make(map[*Node]bool),
		},
		files:        map[string]*parsed{},
		maxExpansion: opts.maxExpansion,
		copyAll:      opts.copyAll,
	}
	if l.maxExpansion <= 0 {
		l.maxExpansion = MaxIncludeExpansion
	}
	for k, v := range opts.Defines {
		l.cfg.Defines[k] = v
	}
	data, err := src.ReadFile(mainPath)
	if err != nil {
		l.cfg.Errors = append(l.cfg.Errors, &Error{
			File: mainPath, Kind: KindInclude, Severity: SeverityError,
			Msg: "could not open configuration file " + mainPath + ": " + errText(err),
		})
	} else {
		f := Parse(mainPath, data)
		l.files[mainPath] = &parsed{file: f, used: true}
		l.cfg.Main = l.process(f, true, false)
	}
	l.cfg.ServerRoot = l.root
	return l.cfg
}

// process processes one parsed file; first is false for the copy of a
// file processed before, whose parse errors are reported already.
func (l *loader) process(f *File, first, uncertain bool) *File {
	p := f.Path
	l.cfg.Files = append(l.cfg.Files, f)
	if first {
		l.cfg.Errors = append(l.cfg.Errors, f.Errors...)
	}
	l.stack = append(l.stack, p)
	l.nodes(f.Nodes, false, uncertain)
	l.stack = l.stack[:len(l.stack)-1]
	return f
}

// nodes processes ns in order. inactive marks nodes inside an <IfDefine>
// that does not hold (httpd skips them); uncertain marks nodes inside a
// condition the loader does not evaluate (<IfModule> and the like).
func (l *loader) nodes(ns []*Node, inactive, uncertain bool) {
	for _, n := range ns {
		l.expand(n)
		if l.visit != nil && !inactive {
			l.visit(n, l.root)
		}
		if n.Section {
			in, un := inactive, uncertain
			switch {
			case inactive:
			case n.Lower == SecIfDefine:
				holds := l.ifDefineHolds(n)
				l.cfg.ifDefine[n] = holds
				in = !holds
			case IsConditional(n.Lower):
				un = true
			}
			l.nodes(n.Children, in, un)
			continue
		}
		if inactive {
			continue
		}
		switch n.Lower {
		case "include", "includeoptional":
			l.include(n, n.Lower == "includeoptional", uncertain)
		case "define":
			l.define(n)
		case "undefine":
			if len(n.Args) != 1 {
				l.errorf(n, n.Span, KindDefine, SeverityError, "UnDefine takes one argument")
				continue
			}
			delete(l.cfg.Defines, n.Args[0].Expanded)
		case "serverroot":
			if len(n.Args) == 1 {
				l.root = l.resolve(n.Args[0].Expanded)
			}
		case "loadmodule":
			if len(n.Args) == 2 {
				l.cfg.Modules = append(l.cfg.Modules, Module{
					Name: n.Args[0].Expanded, Path: l.resolve(n.Args[1].Expanded), Node: n,
				})
			}
		}
	}
}

func (l *loader) ifDefineHolds(n *Node) bool {
	if len(n.Args) == 0 {
		return true
	}
	name := n.Args[0].Expanded
	neg := strings.HasPrefix(name, "!")
	if neg {
		name = name[1:]
	}
	_, ok := l.cfg.Defines[name]
	return ok != neg
}

func (l *loader) define(n *Node) {
	if len(n.Args) < 1 || len(n.Args) > 2 {
		l.errorf(n, n.Span, KindDefine, SeverityError, "Define takes one or two arguments")
		return
	}
	name := n.Args[0].Expanded
	if strings.Contains(name, ":") {
		l.errorf(n, n.Args[0].Span, KindDefine, SeverityError, "Variable name must not contain ':'")
		return
	}
	v := ""
	if len(n.Args) == 2 {
		v = n.Args[1].Expanded
	}
	l.cfg.Defines[name] = v
}

// resolve is ap_server_root_relative.
func (l *loader) resolve(p string) string {
	if path.IsAbs(p) {
		return path.Clean(p)
	}
	return path.Join(l.root, p)
}

func (l *loader) errorf(n *Node, sp Span, kind Kind, sev Severity, format string, a ...any) *Error {
	l.events++
	msg := fmt.Sprintf(format, a...)
	if k := (errorKey{n.File, sp, msg}); !l.reported[k] {
		if l.reported == nil {
			l.reported = map[errorKey]bool{}
		}
		l.reported[k] = true
		e := &Error{File: n.File, Span: sp, Msg: msg, Kind: kind, Severity: sev}
		l.cfg.Errors = append(l.cfg.Errors, e)
		return e
	}
	return nil
}

// DevNull is the one non-regular file httpd reads (as empty) as a
// configuration or user file (ap_pcfg_openfile).
const DevNull = "/dev/null"

// errText renders a read error the way httpd's messages end.
func errText(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "No such file or directory"
	}
	// A file that is not regular, refused unread by the source (which
	// says so with a FileMode method): ap_pcfg_openfile opens it, then
	// refuses it (AH00554, EBADF); the open of a FIFO blocks first.
	var nr interface{ FileMode() fs.FileMode }
	if errors.As(err, &nr) {
		if nr.FileMode()&fs.ModeNamedPipe != 0 {
			return "a FIFO: httpd's open blocks until something writes to it, so apache2 -t and the start hang"
		}
		return "Bad file descriptor (AH00554: not a regular file)"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// isDir tells whether p is a directory in l.src.
func (l *loader) isDir(p string) bool {
	if d, ok := l.src.(interface{ IsDir(string) bool }); ok {
		return d.IsDir(p)
	}
	return len(l.list(p)) > 0
}

// list returns the sorted entry names of directory p (nil if none).
func (l *loader) list(p string) []string {
	ms, err := l.src.Glob(escapeGlob(p) + "/*")
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(ms))
	for _, m := range ms {
		if b := path.Base(m); b != "." && b != ".." {
			names = append(names, b)
		}
	}
	slices.Sort(names)
	return names
}

// include handles Include and IncludeOptional like httpd's include_config
// and ap_process_fnmatch_configs.
func (l *loader) include(n *Node, optional, uncertain bool) {
	sev := SeverityError
	if uncertain {
		// Whether httpd reads this Include depends on a condition the
		// loader does not evaluate.
		sev = SeverityWarning
	}
	if len(n.Args) != 1 {
		l.errorf(n, n.Span, KindInclude, sev, "%s takes one argument", n.Name)
		return
	}
	a := n.Args[0]
	if len(l.stack) >= MaxIncludeDepth {
		l.errorf(n, a.Span, KindInclude, sev,
			"Exceeded the maximum include directory nesting level of %d. You have probably a recursion somewhere.", MaxIncludeDepth)
		return
	}
	inc := &includer{l: l, n: n, sp: a.Span, optional: optional, uncertain: uncertain, sev: sev}
	p := l.resolve(a.Expanded)
	// httpd would read the file in itself until AP_MAX_INCLUDE_DEPTH:
	// nothing of this Include is followed.
	if self := path.Clean(n.File); reaches(p, self) {
		if hasWildcard(p) || p != self {
			inc.errorf("include cycle: %s matches %s, the file that includes it", p, self)
		} else {
			inc.errorf("include cycle: %s includes itself", self)
		}
		return
	}
	if !hasWildcard(p) {
		inc.nofnmatch(p)
	} else {
		inc.fnmatch("/", strings.TrimPrefix(p, "/"))
	}
}

// includer expands one Include directive.
type includer struct {
	l         *loader
	n         *Node
	sp        Span
	optional  bool
	uncertain bool
	sev       Severity
	failed    bool
}

func (c *includer) errorf(format string, a ...any) {
	c.openError("", format, a...)
}

// openError reports that the Include could not open path (Error.Path).
func (c *includer) openError(path, format string, a ...any) {
	if c.failed {
		return // httpd stops at the first failure of an Include
	}
	c.failed = true
	if e := c.l.errorf(c.n, c.sp, KindInclude, c.sev, format, a...); e != nil {
		e.Path = path
	}
}

// nofnmatch includes file or directory p (ap_dir_nofnmatch).
func (c *includer) nofnmatch(p string) {
	l := c.l
	if c.failed {
		return
	}
	if l.isDir(p) {
		l.dirDepth++
		defer func() { l.dirDepth-- }()
		if l.dirDepth > MaxIncludeDepth {
			c.errorf("Directory %s exceeds the maximum include directory nesting level of %d. You have probably a recursion somewhere.", p, MaxIncludeDepth)
			return
		}
		for _, name := range l.list(p) {
			c.nofnmatch(path.Join(p, name))
		}
		return
	}
	if i := slices.Index(l.stack, p); i >= 0 {
		chain := append(slices.Clone(l.stack[i:]), p)
		c.errorf("include cycle: %s", strings.Join(chain, " -> "))
		return
	}
	r := l.read(p)
	if r.err != nil {
		if c.optional && errors.Is(r.err, fs.ErrNotExist) {
			return
		}
		c.openError(p, "Could not open configuration file %s: %s", p, errText(r.err))
		return
	}
	f, first := r.file, !r.used
	if first {
		r.used = true
		r.first = place{root: l.root, stack: len(l.stack), dirDepth: l.dirDepth}
		events := l.events
		c.n.extra().includes = append(c.n.Includes(), l.process(f, true, c.uncertain))
		r.dirty = l.events != events
		return
	}
	if !l.copyAll && l.reuse(r) {
		c.n.extra().includes = append(c.n.Includes(), r.file)
		return
	}
	if l.expanded+f.nodes > l.maxExpansion {
		l.events++
		if !l.capped {
			l.capped = true
			c.sev = SeverityWarning // httpd has no such limit
			c.errorf("Include of %s not followed: files included again would add more than %d directives to the configuration", p, l.maxExpansion)
		}
		c.failed = true
		return
	}
	l.expanded += f.nodes
	f = r.copy(l.copyAll)
	c.n.extra().includes = append(c.n.Includes(), l.process(f, false, c.uncertain))
}

// place is the loader state a file's first place was processed in, as far
// as a later place could read the file differently: the ServerRoot that
// resolves relative includes, and the include depths the limits count.
type place struct {
	root            string
	stack, dirDepth int
}

// reuse gives a place that includes a file again the tree of its first
// place, when that reads the same here: nothing in it depends on the
// place (no ${VAR}, no <IfDefine>, no Define, UnDefine, ServerRoot or
// LoadModule, whose effects would have to happen again), the first place
// had no error and no include cut by the cap, includes resolve against the
// same ServerRoot, this place is no deeper, none of its files is being
// read (a cycle here), and its places fit in the expansion budget, which
// they spend as copies would. What processing a copy does besides is done
// again: the places are in Config.Files and visited. Doubling includes
// then hold one tree per file, as the nginx loader does, not one per place.
func (l *loader) reuse(r *parsed) bool {
	if r.dirty || l.root != r.first.root || len(l.stack) > r.first.stack || l.dirDepth > r.first.dirDepth {
		return false
	}
	s := r.summarize(l.maxExpansion - l.expanded)
	if s == nil {
		return false
	}
	for _, p := range l.stack {
		if s.files[p] {
			return false
		}
	}
	l.expanded += s.size
	l.replay(r.file)
	return true
}

// replay does for a reused tree what processing a copy of it does besides
// building it: each file is in Config.Files and each node visited, in load
// order.
func (l *loader) replay(f *File) {
	l.cfg.Files = append(l.cfg.Files, f)
	l.replayNodes(f.Nodes)
}

func (l *loader) replayNodes(ns []*Node) {
	for _, n := range ns {
		if l.visit != nil {
			l.visit(n, l.root)
		}
		l.replayNodes(n.Children)
		for _, inc := range n.Includes() {
			l.replay(inc)
		}
	}
}

// treeSummary is what reuse needs of a file's first tree: the nodes its
// places count against the expansion cap, and the files in it.
type treeSummary struct {
	size  int
	files map[string]bool
}

// summarize returns the summary of r's first tree, nil when something in
// it depends on the place or its size is over limit (limits only shrink:
// the budget is spent, never given back).
func (r *parsed) summarize(limit int) *treeSummary {
	switch {
	case r.impure || r.tooBig:
		return nil
	case r.sum != nil:
		if r.sum.size > limit {
			return nil
		}
		return r.sum
	}
	s := &treeSummary{files: map[string]bool{}}
	var file func(f *File) bool
	var nodes func(ns []*Node) bool
	file = func(f *File) bool {
		s.size += f.nodes
		s.files[f.Path] = true
		return s.size <= limit && nodes(f.Nodes)
	}
	nodes = func(ns []*Node) bool {
		for _, n := range ns {
			if !placeFree(n) {
				r.impure = true
				return false
			}
			if !nodes(n.Children) {
				return false
			}
			for _, inc := range n.Includes() {
				if !file(inc) {
					return false
				}
			}
		}
		return true
	}
	if !file(r.file) {
		r.tooBig = !r.impure
		return nil
	}
	r.sum = s
	return s
}

// placeFree reports whether a node reads the same in every place and
// processing it again has no effect on the rest of the load.
func placeFree(n *Node) bool {
	switch n.Lower {
	case "define", "undefine", "serverroot", "loadmodule":
		return false
	case SecIfDefine:
		if n.Section {
			return false
		}
	}
	return argsFixed(n)
}

// parsed is a file read and parsed once for the whole load, or the error
// reading it.
type parsed struct {
	file *File
	err  error
	used bool // file is processed: another place takes a copy

	// Set by plan, at the first copy: the subtrees every copy shares with
	// file (the outermost of those that read the same in every place),
	// whether that is all of file, and the nodes a copy allocates.
	planned bool
	shared  map[*Node]bool
	whole   bool
	copied  int

	// For reuse: the state of the first place, whether it saw an error or
	// a cut include, and what summarize found of its tree (sum; impure:
	// something depends on the place; tooBig: over the budget left).
	first          place
	dirty          bool
	sum            *treeSummary
	impure, tooBig bool
}

// copy returns the tree for another place that includes the file. A file
// that reads the same everywhere (no Include, no <IfDefine>, no ${VAR}:
// nothing depends on the place) is processed again as it is, so 10,000
// virtual hosts that include one snippet hold one tree of it, and a copy
// of any other file shares such subtrees with the first: httpd's tree is
// the same, the loader's memory grows with what differs.
func (r *parsed) copy(all bool) *File {
	if all {
		return r.file.clone(nil, r.file.nodes, true)
	}
	if !r.planned {
		r.plan()
	}
	if r.whole {
		return r.file
	}
	return r.file.clone(r.shared, r.copied, false)
}

func (r *parsed) plan() {
	r.planned, r.whole = true, true
	for _, n := range r.file.Nodes {
		if r.fixed(n) {
			if r.shared == nil {
				r.shared = map[*Node]bool{}
			}
			r.shared[n] = true
		} else {
			r.whole = false
		}
	}
}

// fixed reports whether n and everything in it reads the same in every
// place the file is included: the loader changes nothing in it (it
// expands arguments, resolves Include and evaluates <IfDefine> per
// place). For a node that does not, the children that do go in r.shared
// and the node counts in r.copied.
func (r *parsed) fixed(n *Node) bool {
	ok := argsFixed(n) && n.Lower != "include" && n.Lower != "includeoptional" && !(n.Section && n.Lower == SecIfDefine)
	var kids []bool
	if len(n.Children) > 0 {
		kids = make([]bool, len(n.Children))
	}
	for i, c := range n.Children {
		kids[i] = r.fixed(c)
		ok = ok && kids[i]
	}
	if ok {
		return true
	}
	r.copied++
	for i, c := range n.Children {
		if kids[i] {
			if r.shared == nil {
				r.shared = map[*Node]bool{}
			}
			r.shared[c] = true
		}
	}
	return false
}

// read reads and parses an included file, or takes it from the files read
// before.
func (l *loader) read(p string) *parsed {
	if r, ok := l.files[p]; ok {
		return r
	}
	r := &parsed{}
	if p == DevNull {
		// ap_pcfg_openfile accepts this one name of a non-regular file:
		// an empty file (a symlink to it is refused like any device).
		r.file = Parse(p, nil)
		l.files[p] = r
		return r
	}
	data, err := l.src.ReadFile(p)
	if r.err = err; err == nil {
		r.file = Parse(p, data)
	}
	l.files[p] = r
	return r
}

// readAhead reads and parses the files of a wildcard match concurrently
// (Parse is a pure function of the bytes; the Source is safe for concurrent
// use): a site directory of hundreds of vhost files is read and parsed on
// every core. They are still processed one by one, in httpd's order, when
// their turn comes, and their read errors reported then. Files read before
// are not read again.
func (c *includer) readAhead(all []string) {
	var files []string
	for _, p := range all {
		if _, ok := c.l.files[p]; !ok {
			files = append(files, p)
		}
	}
	if len(files) < 2 {
		return
	}
	out := make([]parsed, len(files))
	dir := make([]bool, len(files))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(files); i = int(next.Add(1)) - 1 {
				if dir[i] = c.l.isDir(files[i]); dir[i] {
					continue // included as a directory, in its turn
				}
				data, err := c.l.src.ReadFile(files[i])
				if out[i].err = err; err == nil {
					out[i].file = Parse(files[i], data)
				}
			}
		})
	}
	wg.Wait()
	for i, p := range files {
		if !dir[i] {
			c.l.files[p] = &out[i]
		}
	}
}

// fnmatch includes what matches the wildcard path rest under directory dir
// (ap_dir_fnmatch).
func (c *includer) fnmatch(dir, rest string) {
	l := c.l
	if c.failed {
		return
	}
	first, next, more := strings.Cut(rest, "/")
	for more && next == "" { // trailing or doubled slash
		next, more = "", false
	}
	if !hasWildcard(first) {
		p := path.Join(dir, first)
		if more {
			c.fnmatch(p, next)
		} else {
			c.nofnmatch(p)
		}
		return
	}
	if !l.isDir(dir) {
		if !c.optional {
			c.openError(dir, "Could not open directory %s: No such file or directory", dir)
		}
		return
	}
	var cands []string
	for _, name := range l.list(dir) {
		if !fnmatch(first, name) {
			continue
		}
		p := path.Join(dir, name)
		if more && !l.isDir(p) {
			continue
		}
		cands = append(cands, p)
	}
	if len(cands) == 0 {
		if !c.optional {
			c.errorf("No matches for the wildcard '%s' in '%s', failing", first, dir)
		}
		return
	}
	if !more {
		c.readAhead(cands)
	}
	for _, p := range cands {
		if more {
			c.fnmatch(p, next)
		} else {
			c.nofnmatch(p)
		}
	}
}

// reaches reports whether an Include of p (clean and absolute) reads file
// (clean): file matches p, or lies in a directory that does (a directory is
// included whole, dot files too).
func reaches(p, file string) bool {
	if !hasWildcard(p) {
		dir := strings.TrimSuffix(p, "/") // no concatenation: this runs for every Include of every place
		return file == p || len(file) > len(dir) && file[len(dir)] == '/' && strings.HasPrefix(file, dir)
	}
	pc := strings.Split(strings.TrimPrefix(p, "/"), "/")
	fc := strings.Split(strings.TrimPrefix(file, "/"), "/")
	if len(fc) < len(pc) {
		return false
	}
	for i, c := range pc {
		if hasWildcard(c) && !fnmatch(c, fc[i]) || !hasWildcard(c) && c != fc[i] {
			return false
		}
	}
	return true
}
