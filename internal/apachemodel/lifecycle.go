package apachemodel

import (
	"path/filepath"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
)

// Builder holds a model while it is built: Build (or BuildHtaccess) makes
// the sections of the configuration, DiscoverHtaccess finds, builds and
// links the .htaccess files under the served trees, and Freeze hands the
// finished model to its readers. Only Freeze returns a *Model, so rules and
// the request evaluator never see one that is still changing.
type Builder struct {
	m *Model
}

// Build builds the model of a loaded configuration. fragment is set for a
// vhost or conf snippet linted alone (see Model.Fragment).
func Build(conf *htaccess.Config, fragment bool) *Builder {
	return &Builder{m: build(conf, fragment)}
}

// BuildHtaccess builds the model of a .htaccess file linted alone: its
// directives form one per-directory section; AllowOverride and the modules
// are unknown, and relative user-file paths resolve against httpd's default
// ServerRoot (see Model.ServerRootDefault).
func BuildHtaccess(conf *htaccess.Config, path string) *Builder {
	m := &Model{Conf: conf, Fragment: true, Main: &Server{}, AccessFileNames: []string{filepath.Base(path)},
		ServerRoot: DefaultServerRoot, ServerRootDefault: true}
	m.addHtaccess(&Htaccess{Path: path, Dir: filepath.Dir(path), File: conf.Main})
	return &Builder{m: m}
}

// Fragment reports whether the input is not a whole server configuration.
func (b *Builder) Fragment() bool { return b.m.Fragment }

// DiscoverHtaccess finds the .htaccess files httpd would read under the
// model's document roots, aliases and <Directory> sections (see
// discoverHtaccess), and links them into the model in path order. pf, when
// not nil, is the scan made while the configuration loaded. The files are
// returned for the caller's syntax findings and snippets.
func (b *Builder) DiscoverHtaccess(fsys serverfs.FS, pf *Prefetch) []*Htaccess {
	hts := discoverHtaccess(fsys, b.m, pf)
	for _, ht := range hts {
		b.m.linkHtaccess(ht)
	}
	return hts
}

// Freeze finishes the model and returns it. The builder must not be used
// afterwards.
func (b *Builder) Freeze() *Model {
	m := b.m
	b.m = nil
	m.freeze()
	return m
}
