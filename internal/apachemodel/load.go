package apachemodel

import (
	"path/filepath"
	"slices"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
)

// LoadOptions tunes Load.
type LoadOptions struct {
	// OnRead, when set, is told the size of every file read after the
	// entry point, the .htaccess files the search reads too; an error it
	// returns fails that read and every later one of an included file
	// (serverfs.RecordingSource.OnRead), and leaves that .htaccess unread.
	// It may be called from several goroutines at once.
	OnRead func(n int) error
	// WholeConfig, when set, is called before a whole configuration
	// (apache2.conf, httpd.conf) loads.
	WholeConfig func()
}

// Loaded is a configuration loaded the way httpd would read it, with the
// .htaccess files under its served trees, and its model still open.
type Loaded struct {
	Conf *htaccess.Config
	// Src holds every configuration file the load read (not .htaccess).
	Src *serverfs.RecordingSource
	// Htaccess are the access files found under the served trees.
	Htaccess []*Htaccess
	// Alone is set when the entry point is a .htaccess file linted alone.
	Alone   bool
	Builder *Builder
}

// IsHtaccessName reports whether a file name is a .htaccess file.
func IsHtaccessName(base string) bool {
	return base == ".htaccess" || strings.HasSuffix(base, ".htaccess")
}

// Load loads the configuration whose entry point is the server path p
// (data is its content) through fsys: apache2.conf with Debian's layout,
// httpd.conf with its ServerRoot, a vhost or conf snippet with the
// ServerRoot of the tree it sits in (a fragment when there is none), or a
// .htaccess file alone. For a whole configuration the .htaccess search
// starts while it loads; the files are linked into the model in path
// order.
func Load(fsys serverfs.FS, p string, data []byte, opts LoadOptions) *Loaded {
	base := filepath.Base(p)
	ld := &Loaded{Src: serverfs.NewRecordingSource(p, data, fsys)}
	ld.Src.OnRead = opts.OnRead
	var pf *Prefetch
	var visit func(*htaccess.Node, string)
	if base == "apache2.conf" || base == "httpd.conf" {
		if opts.WholeConfig != nil {
			opts.WholeConfig()
		}
		pf = NewPrefetch(fsys)
		pf.onRead = opts.OnRead
		defer pf.Stop() // stops it on every path
		visit = pf.Visit
	}
	switch {
	case IsHtaccessName(base):
		// A .htaccess alone: ServerRoot and AllowOverride are unknown.
		ld.Conf = htaccess.Load(ld.Src, p, htaccess.LoadOptions{ServerRoot: filepath.Dir(p)})
		ld.Builder, ld.Alone = BuildHtaccess(ld.Conf, p), true
	case base == "apache2.conf":
		ld.Conf = htaccess.LoadDebian(ld.Src, filepath.Dir(p), htaccess.LoadOptions{Visit: visit})
		ld.Builder = Build(ld.Conf, false)
	default:
		// httpd's compiled-in layout is ServerRoot/conf/httpd.conf: a main
		// file in a conf directory has its parent as ServerRoot until a
		// ServerRoot directive says otherwise. A vhost or conf snippet
		// loaded alone takes the ServerRoot of the tree it sits in.
		root := filepath.Dir(p)
		if filepath.Base(root) == "conf" {
			root = filepath.Dir(root)
		}
		whole := base == "httpd.conf"
		known := whole
		if !whole {
			root, known = FindServerRoot(fsys, p, root)
		}
		lo := htaccess.LoadOptions{ServerRoot: root, Visit: visit}
		if known && !whole && isDebianTree(fsys, root) {
			// A vhost or conf file of a Debian tree linted alone: apache2ctl
			// would have exported envvars (${APACHE_LOG_DIR}...).
			lo.EnvVars = htaccess.DebianEnvvars(ld.Src, root)
		}
		ld.Conf = htaccess.Load(ld.Src, p, lo)
		ld.Builder = Build(ld.Conf, !whole && !SetsServerRoot(ld.Conf))
		if !known && ld.Builder.Fragment() {
			// Relative includes of a snippet whose ServerRoot is unknown
			// cannot be checked.
			ld.Conf.Errors = slices.DeleteFunc(ld.Conf.Errors, func(e *htaccess.Error) bool { return e.Kind == htaccess.KindInclude })
		}
	}
	if !ld.Builder.Fragment() {
		ld.Builder.m.onRead = opts.OnRead
		ld.Htaccess = ld.Builder.DiscoverHtaccess(fsys, pf)
	}
	return ld
}

// isDebianTree reports whether root holds Debian's apache2.conf.
func isDebianTree(fsys serverfs.FS, root string) bool {
	st, err := fsys.Stat(filepath.Join(root, "apache2.conf"))
	return err == nil && st.Mode().IsRegular()
}
