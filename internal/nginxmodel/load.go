package nginxmodel

import (
	"fmt"
	"path/filepath"

	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/nginxconf"
)

// LoadOptions tunes Load.
type LoadOptions struct {
	// OnRead, when set, is told the size of every file read after the
	// entry point; an error it returns fails that read and every later
	// one (serverfs.RecordingSource.OnRead).
	OnRead func(n int) error
	// WholeConfig, when set, is called before a whole configuration
	// (nginx.conf, an nginx -T dump) loads.
	WholeConfig func()
}

// Loaded is a configuration loaded the way nginx would read it.
type Loaded struct {
	Conf *nginxconf.Config
	// Src holds every file the load read (or the dump it came from).
	Src nginxconf.Source
}

// Load loads an nginx configuration: an `nginx -T` dump, or the file at
// server path p (data is its content; p is "<stdin>" for standard input)
// with its includes read through fsys. A server file loaded alone
// (conf.d/site.conf) takes the conf prefix of the nginx.conf above it;
// with none, relative paths cannot be resolved (Conf.Prefix is "").
func Load(fsys serverfs.FS, p string, data []byte, opts LoadOptions) (*Loaded, error) {
	isDump := nginxconf.IsDump(data)
	if (isDump || filepath.Base(p) == "nginx.conf") && opts.WholeConfig != nil {
		opts.WholeConfig()
	}
	if isDump {
		dump, err := nginxconf.ParseDump(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		return &Loaded{Conf: nginxconf.Load(dump, dump.Main(), nginxconf.LoadOptions{}), Src: dump}, nil
	}
	lo := nginxconf.LoadOptions{}
	fragment := false
	if filepath.Base(p) != "nginx.conf" && p != "<stdin>" {
		if prefix, ok := FindPrefix(fsys, p); ok {
			lo.Prefix = prefix
		} else {
			fragment = true
		}
	}
	rec := serverfs.NewRecordingSource(p, data, fsys)
	rec.OnRead = opts.OnRead
	rec.DevicesEmpty = true // nginx reads st_size bytes of an include: 0 for a device
	conf := nginxconf.Load(rec, p, lo)
	if fragment {
		conf.Prefix = ""
	}
	return &Loaded{Conf: conf, Src: rec}, nil
}
