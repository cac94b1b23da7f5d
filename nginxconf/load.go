package nginxconf

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// MaxIncludeDepth bounds nested includes.
const MaxIncludeDepth = 64

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
}

// Config is a loaded configuration.
type Config struct {
	Main   *File
	Files  []*File // every parsed file, in load order
	Prefix string
	Errors []*Error // parse and include errors of every file
}

// Load parses mainPath and every file it includes.
func Load(src Source, mainPath string, opts LoadOptions) *Config {
	prefix := opts.Prefix
	if prefix == "" {
		prefix = filepath.Dir(mainPath)
	}
	l := &loader{src: src, cfg: &Config{Prefix: prefix}, active: map[string]bool{}}
	data, err := src.ReadFile(mainPath)
	if err != nil {
		l.cfg.Errors = append(l.cfg.Errors, &Error{File: mainPath, Msg: fmt.Sprintf("open() %q failed (%s)", mainPath, errText(err))})
		l.cfg.Main = &File{Path: mainPath}
		return l.cfg
	}
	l.cfg.Main = l.parse(mainPath, data, 0)
	return l.cfg
}

type loader struct {
	src    Source
	cfg    *Config
	active map[string]bool // files on the current include chain
}

func (l *loader) parse(path string, data []byte, depth int) *File {
	f := Parse(path, data)
	l.cfg.Files = append(l.cfg.Files, f)
	l.cfg.Errors = append(l.cfg.Errors, f.Errors...)
	l.active[path] = true
	l.includes(f, f.Directives, depth)
	delete(l.active, path)
	return f
}

// includes resolves the include directives among ds, recursively.
func (l *loader) includes(f *File, ds []*Directive, depth int) {
	for _, d := range ds {
		if d.HasBlock {
			l.includes(f, d.Block, depth)
			continue
		}
		if d.Name != "include" || len(d.Args) != 1 {
			continue
		}
		pattern := d.Args[0].Value
		if !filepath.IsAbs(pattern) {
			pattern = filepath.Join(l.cfg.Prefix, pattern)
		}
		l.include(f, d, pattern, depth)
	}
}

func (l *loader) include(f *File, d *Directive, pattern string, depth int) {
	errorf := func(format string, args ...any) {
		e := &Error{File: f.Path, Span: d.Span, Msg: fmt.Sprintf(format, args...)}
		f.Errors = append(f.Errors, e)
		l.cfg.Errors = append(l.cfg.Errors, e)
	}
	var paths []string
	if strings.ContainsAny(pattern, "*?[") {
		m, err := l.src.Glob(pattern)
		if err != nil {
			errorf("glob() %q failed (%s)", pattern, errText(err))
			return
		}
		sort.Strings(m)
		paths = m
	} else {
		paths = []string{pattern}
	}
	for _, p := range paths {
		if l.active[p] {
			errorf("include cycle: %q includes itself", p)
			continue
		}
		if depth+1 > MaxIncludeDepth {
			errorf("includes nested deeper than %d", MaxIncludeDepth)
			return
		}
		data, err := l.src.ReadFile(p)
		if err != nil {
			errorf("open() %q failed (%s)", p, errText(err))
			continue
		}
		d.Includes = append(d.Includes, l.parse(p, data, depth+1))
	}
}

// errText renders an error like nginx's "(2: No such file or directory)".
func errText(err error) string {
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
