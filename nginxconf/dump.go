package nginxconf

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// Dump is the output of `nginx -T`: every configuration file nginx read,
// each introduced by a line "# configuration file PATH:". It serves those
// files to Load under their original paths, so positions are the files'.
type Dump struct {
	files map[string][]byte
	order []string
	byDir map[string][]string // order by the text before the last '/'
	// Starts maps each file to the dump line where its content begins.
	Starts map[string]int
}

// ParseDump splits `nginx -T` output into its files.
func ParseDump(src []byte) (*Dump, error) {
	d := &Dump{files: map[string][]byte{}, Starts: map[string]int{}}
	var cur string
	var buf bytes.Buffer
	flush := func() {
		if cur != "" {
			d.files[cur] = append([]byte(nil), buf.Bytes()...)
		}
		buf.Reset()
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	for i, line := range lines {
		s := strings.TrimRight(string(line), "\r\n")
		if p, ok := strings.CutPrefix(s, "# configuration file "); ok && strings.HasSuffix(p, ":") {
			flush()
			cur = strings.TrimSuffix(p, ":")
			if _, dup := d.files[cur]; !dup {
				d.order = append(d.order, cur)
			}
			d.Starts[cur] = i + 2
			continue
		}
		if cur == "" {
			continue // "nginx: the configuration file ... syntax is ok" and the like
		}
		buf.Write(line)
	}
	flush()
	if len(d.order) == 0 {
		return nil, fmt.Errorf("no \"# configuration file\" line: not nginx -T output")
	}
	d.byDir = map[string][]string{}
	for _, p := range d.order {
		dir := p[:max(strings.LastIndexByte(p, '/'), 0)]
		d.byDir[dir] = append(d.byDir[dir], p)
	}
	// nginx -T prints an empty line after each file; drop it.
	for p, b := range d.files {
		d.files[p] = bytes.TrimSuffix(b, []byte("\n"))
		if len(d.files[p]) > 0 {
			d.files[p] = append(d.files[p], '\n')
		}
	}
	return d, nil
}

// IsDump reports whether src looks like `nginx -T` output.
func IsDump(src []byte) bool {
	head := src[:min(len(src), 512)]
	return bytes.HasPrefix(head, []byte("# configuration file ")) ||
		bytes.HasPrefix(head, []byte("nginx: the configuration file"))
}

// Main returns the path of the first file: the main configuration.
func (d *Dump) Main() string { return d.order[0] }

// Paths lists the embedded files in dump order.
func (d *Dump) Paths() []string { return append([]string(nil), d.order...) }

// ReadFile returns an embedded file.
func (d *Dump) ReadFile(p string) ([]byte, error) {
	b, ok := d.files[filepath.Clean(p)]
	if !ok {
		b, ok = d.files[p]
	}
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	return b, nil
}

// Glob matches the embedded paths. A pattern with wildcards only in its
// last element (and no '[' there, which could match a '/') is matched
// against the files of its directory only: a dump of many files that
// each include a glob is not matched file by file.
func (d *Dump) Glob(pattern string) ([]string, error) {
	cands := d.order
	if i := strings.LastIndexByte(pattern, '/'); i >= 0 && !strings.ContainsAny(pattern[:i], `*?[\`) && !strings.ContainsRune(pattern[i:], '[') {
		cands = d.byDir[pattern[:i]]
	}
	var out []string
	for _, p := range cands {
		ok, err := filepath.Match(pattern, p)
		if err != nil {
			return nil, fmt.Errorf("glob %s: %w", pattern, err)
		}
		if ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, nil
}
