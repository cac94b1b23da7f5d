package htaccess

import "strings"

// expand sets Arg.Expanded for every argument of n, like ap_resolve_env:
// ${NAME} takes the value of a Define, else of an environment variable;
// an unknown name stays as written and, unless it contains ':' (a
// RewriteMap lookup such as ${map:key}), is reported as a warning. The
// substituted text is not scanned again.
func (l *loader) expand(n *Node) {
	for _, a := range n.Args {
		// A node copied for another place shares the arguments that hold
		// no ${: they are written once, and read by the callers of Visit
		// from then on.
		if v := l.expandString(n, a, a.Value); a.Expanded != v {
			a.Expanded = v
		}
	}
}

func (l *loader) lookup(name string) (string, bool) {
	if v, ok := l.cfg.Defines[name]; ok && v != "" {
		return v, true
	}
	v, ok := l.cfg.EnvVars[name]
	return v, ok
}

func (l *loader) expandString(n *Node, a *Arg, s string) string {
	i := strings.Index(s, "${")
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i >= 0 {
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexByte(s[2:], '}')
		if end < 0 {
			break
		}
		name := s[2 : 2+end]
		if v, ok := l.lookup(name); ok {
			b.WriteString(v)
		} else {
			if !strings.Contains(name, ":") {
				l.errorf(n, a.Span, KindUndefinedVar, SeverityWarning, "Config variable ${%s} is not defined", name)
			}
			b.WriteString(s[:2+end+1])
		}
		s = s[2+end+1:]
		i = strings.Index(s, "${")
	}
	b.WriteString(s)
	return b.String()
}

// ExpandFile sets Arg.Expanded in every node of f, a file parsed on its own
// (a .htaccess), from c's defines and environment variables, as httpd does
// when it reads the file. Undefined variables are reported in f.Errors.
func (c *Config) ExpandFile(f *File) {
	tmp := &Config{Defines: c.Defines, EnvVars: c.EnvVars}
	l := &loader{cfg: tmp}
	Walk(f, func(n *Node, _ []*Node) bool {
		l.expand(n)
		return true
	})
	f.Errors = append(f.Errors, tmp.Errors...)
}
