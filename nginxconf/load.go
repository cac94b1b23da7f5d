package nginxconf

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// MaxIncludeDepth bounds nested includes.
const MaxIncludeDepth = 64

// MaxIncludeExpansion bounds the directives that files included again add
// to one configuration: every place after the first that includes a file
// adds its directives (with its own includes) once more, as Walk visits
// them. An include that would go past it is not followed, with one error
// per load: a few files that include each other many times could otherwise
// make a configuration of billions of directives. What a file adds the
// first time it is included is bounded by its size, so a configuration of
// many files each included once (10,000 server files) never meets the cap.
// (1<<20 let 25 files each included twice per level build some 250,000
// servers: 13 s and 317 MB; 1<<18 takes under a second.)
const MaxIncludeExpansion = 1 << 18

// Source reads files for the loader; paths are OS-style absolute paths.
type Source interface {
	ReadFile(path string) ([]byte, error)
	Glob(pattern string) ([]string, error)
}

// OSSource reads the live filesystem.
type OSSource struct{}

// ReadFile reads a file.
func (OSSource) ReadFile(p string) ([]byte, error) { return os.ReadFile(p) }

// Glob expands a pattern, sorted.
func (OSSource) Glob(pattern string) ([]string, error) {
	m, err := filepath.Glob(pattern)
	sort.Strings(m)
	return m, err
}

// LoadOptions configures Load.
type LoadOptions struct {
	// Prefix is the conf prefix that relative include paths resolve
	// against; the default is the directory of the main file.
	Prefix string

	maxExpansion int // MaxIncludeExpansion when 0 (tests set it lower)
}

// Config is a loaded configuration.
type Config struct {
	Main *File
	// Files are the files read, in load order, each once however often
	// it is included: the include directives that pull in the same file
	// share its *File (see Directive.Includes).
	Files  []*File
	Prefix string
	Errors []*Error // parse and include errors of every file
}

// Load parses mainPath and every file it includes. Each file is read and
// parsed once per load: relative include paths resolve against the prefix,
// not the including file, so a file's includes expand the same wherever it
// is included.
func Load(src Source, mainPath string, opts LoadOptions) *Config {
	prefix := opts.Prefix
	if prefix == "" {
		prefix = filepath.Dir(mainPath)
	}
	l := &loader{
		src: src, cfg: &Config{Prefix: prefix}, maxExpansion: opts.maxExpansion,
		active: map[string]bool{}, done: map[string]*loaded{}, globs: map[string]globbed{},
	}
	if l.maxExpansion <= 0 {
		l.maxExpansion = MaxIncludeExpansion
	}
	data, err := src.ReadFile(mainPath)
	if err != nil {
		l.cfg.Errors = append(l.cfg.Errors, &Error{File: mainPath, Msg: fmt.Sprintf("open() %q failed (%s)", mainPath, errText(err))})
		l.cfg.Main = &File{Path: mainPath}
		return l.cfg
	}
	l.cfg.Main = l.parse(mainPath, data, 0).file
	return l.cfg
}

type loader struct {
	src          Source
	cfg          *Config
	maxExpansion int
	stack        []string           // files on the current include chain, cleaned
	active       map[string]bool    // the same, as a set
	done         map[string]*loaded // files read, by cleaned path
	globs        map[string]globbed // glob results, by pattern
	capped       bool               // the MaxIncludeExpansion error is reported
	copies       int                // directives added by files included again
}

// loaded is a file read once for the whole load.
type loaded struct {
	file *File
	err  error // of ReadFile; file is nil then
	// size is the number of directives of the file with its includes
	// expanded, bounded by the files' own directives plus maxExpansion.
	size int
	// uses counts the include directives that pulled the file in.
	uses int
}

type globbed struct {
	paths []string
	err   error
}

func (l *loader) parse(path string, data []byte, depth int) *loaded {
	f := Parse(path, data)
	ld := &loaded{file: f, size: f.ndirs}
	key := filepath.Clean(path)
	l.done[key] = ld
	l.cfg.Files = append(l.cfg.Files, f)
	l.cfg.Errors = append(l.cfg.Errors, f.Errors...)
	l.active[key] = true
	l.stack = append(l.stack, key)
	l.includes(ld, f.Directives, depth)
	l.stack = l.stack[:len(l.stack)-1]
	delete(l.active, key)
	return ld
}

// includes resolves the include directives among ds, recursively.
func (l *loader) includes(ld *loaded, ds []*Directive, depth int) {
	for _, d := range ds {
		if d.HasBlock {
			l.includes(ld, d.Block, depth)
			continue
		}
		if d.Name != "include" || len(d.Args) != 1 {
			continue
		}
		pattern := d.Args[0].Value
		if !filepath.IsAbs(pattern) {
			pattern = filepath.Join(l.cfg.Prefix, pattern)
		}
		l.include(ld, d, pattern, depth)
	}
}

func (l *loader) glob(pattern string) ([]string, error) {
	if g, ok := l.globs[pattern]; ok {
		return g.paths, g.err
	}
	m, err := l.src.Glob(pattern)
	sort.Strings(m)
	l.globs[pattern] = globbed{m, err}
	return m, err
}

func (l *loader) include(ld *loaded, d *Directive, pattern string, depth int) {
	f := ld.file
	errorf := func(format string, args ...any) {
		e := &Error{File: f.Path, Span: d.Span, Msg: fmt.Sprintf(format, args...)}
		f.Errors = append(f.Errors, e)
		l.cfg.Errors = append(l.cfg.Errors, e)
	}
	self := filepath.Clean(f.Path)
	var paths []string
	if strings.ContainsAny(pattern, "*?[") {
		m, err := l.glob(pattern)
		if err != nil {
			errorf("glob() %q failed (%s)", pattern, errText(err))
			return
		}
		// nginx would include the file in itself until it runs out of
		// open files: nothing of this include is followed.
		for _, p := range m {
			if filepath.Clean(p) == self {
				errorf("include cycle: %q matches %q, the file that includes it", pattern, f.Path)
				return
			}
		}
		paths = m
	} else {
		paths = []string{pattern}
	}
	for _, p := range paths {
		key := filepath.Clean(p)
		if l.active[key] {
			if key == self {
				errorf("include cycle: %q includes itself", p)
			} else {
				i := slices.Index(l.stack, key)
				errorf("include cycle: %s", strings.Join(append(slices.Clone(l.stack[i:]), key), " -> "))
			}
			continue
		}
		inc, ok := l.done[key]
		if !ok {
			if depth+1 > MaxIncludeDepth {
				errorf("includes nested deeper than %d", MaxIncludeDepth)
				return
			}
			data, err := l.src.ReadFile(p)
			if err != nil {
				inc = &loaded{err: err}
				l.done[key] = inc
			} else {
				inc = l.parse(p, data, depth+1)
			}
		}
		if inc.err != nil {
			errorf("open() %q failed (%s)", p, errText(inc.err))
			l.cfg.Errors[len(l.cfg.Errors)-1].Path = p
			continue
		}
		cost := 0
		if inc.uses > 0 {
			cost = inc.size
		}
		if l.copies+cost > l.maxExpansion {
			if !l.capped {
				l.capped = true
				errorf("include of %q not followed: files included more than once would add more than %d directives to the configuration (a file counts again for every further place it is included)", p, l.maxExpansion)
			}
			return
		}
		l.copies += cost
		inc.uses++
		ld.size += inc.size
		d.Includes = append(d.Includes, inc.file)
	}
}

// errText renders an error like nginx's "(2: No such file or directory)".
func errText(err error) string {
	// A file that is not regular, refused unread by the source (which
	// says so with a FileMode method).
	var nr interface{ FileMode() fs.FileMode }
	if errors.As(err, &nr) {
		switch m := nr.FileMode(); {
		case m.IsDir():
			return "21: Is a directory" // nginx: pread() of the directory fails
		case m&fs.ModeNamedPipe != 0:
			return "a FIFO: nginx's open() blocks until something writes to it, so nginx -t and the start hang"
		case m&fs.ModeSocket != 0:
			return "6: No such device or address"
		}
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "2: No such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "13: Permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
