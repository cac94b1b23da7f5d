package htaccess

import (
	"path"
	"strings"
)

// LoadDebian loads a Debian-style /etc/apache2 tree rooted at etcDir: it
// reads etcDir/envvars (DebianEnvvars) into LoadOptions.EnvVars (what apache2ctl exports,
// so ${APACHE_RUN_USER} and ${APACHE_LOG_DIR} resolve) and then loads
// etcDir/apache2.conf with ServerRoot etcDir. A missing envvars file is
// not an error. Of opts, only Defines and Visit are used.
func LoadDebian(src Source, etcDir string, opts LoadOptions) *Config {
	etcDir = path.Clean(etcDir)
	opts.ServerRoot, opts.EnvVars = etcDir, DebianEnvvars(src, etcDir)
	return Load(src, path.Join(etcDir, "apache2.conf"), opts)
}

// DebianEnvvars returns what apache2ctl exports for the Debian tree at
// etcDir: etcDir/envvars evaluated, or, when the tree has no envvars (a
// repository that does not ship the server's own copy), the values of
// Debian's stock file for the default instance.
func DebianEnvvars(src Source, etcDir string) map[string]string {
	if data, err := src.ReadFile(path.Join(etcDir, "envvars")); err == nil {
		return ParseEnvvars(data)
	}
	return map[string]string{
		"APACHE_RUN_USER":  "www-data",
		"APACHE_RUN_GROUP": "www-data",
		"APACHE_PID_FILE":  "/var/run/apache2/apache2.pid",
		"APACHE_RUN_DIR":   "/var/run/apache2",
		"APACHE_LOCK_DIR":  "/var/lock/apache2",
		"APACHE_LOG_DIR":   "/var/log/apache2",
		"LANG":             "C",
	}
}

// ParseEnvvars evaluates the subset of POSIX shell used by Debian's
// /etc/apache2/envvars and returns the exported variables: assignments
// "NAME=value" and "export NAME[=value]" with '...' and "..." quoting and
// $NAME, ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:=default},
// ${NAME:+alt} expansion; "unset NAME". Lines inside if/case blocks are
// skipped, which matches the default single-instance setup (the only
// block in the stock file sets SUFFIX for /etc/apache2-NAME instances).
// Comments, '.' and other commands are ignored.
func ParseEnvvars(data []byte) map[string]string {
	vars := map[string]string{}
	exported := map[string]bool{}
	depth := 0
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		first, _, _ := strings.Cut(line, " ")
		first = strings.TrimSuffix(first, ";")
		switch first {
		case "if", "case", "while", "until", "for":
			if !closesOnSameLine(line) {
				depth++
			}
			continue
		case "fi", "esac", "done":
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth > 0 {
			continue
		}
		for line != "" {
			var words []string
			words, line = shellWords(line, vars)
			runShell(words, vars, exported)
		}
	}
	out := make(map[string]string, len(exported))
	for name := range exported {
		if v, ok := vars[name]; ok {
			out[name] = v
		}
	}
	return out
}

// runShell applies one simple command of an envvars file.
func runShell(words []string, vars map[string]string, exported map[string]bool) {
	if len(words) > 0 {
		switch words[0] {
		case "unset":
			for _, w := range words[1:] {
				delete(vars, w)
				delete(exported, w)
			}
		case "export":
			for _, w := range words[1:] {
				name, val, ok := strings.Cut(w, "=")
				if !validShellName(name) {
					continue
				}
				if ok {
					vars[name] = val
				}
				exported[name] = true
			}
		default:
			name, val, ok := strings.Cut(words[0], "=")
			if ok && validShellName(name) && len(words) == 1 {
				vars[name] = val
			}
		}
	}
}

func validShellName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '_' && !(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !(i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// shellWords splits one simple command into expanded words, stopping at
// an unquoted ';' (the rest of the line is returned), '#' at a word start,
// or end of line.
func shellWords(line string, vars map[string]string) (words []string, rest string) {
	var b strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, b.String())
				b.Reset()
				inWord = false
			}
		case c == ';':
			rest = line[i+1:]
			i = len(line)
		case c == '#' && !inWord:
			i = len(line)
		case c == '\'':
			inWord = true
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				j = len(line) - i - 1
			}
			b.WriteString(line[i+1 : i+1+j])
			i += j + 1
		case c == '"':
			inWord = true
			j := i + 1
			for ; j < len(line) && line[j] != '"'; j++ {
				switch {
				case line[j] == '\\' && j+1 < len(line):
					j++
					b.WriteByte(line[j])
				case line[j] == '$':
					j = expandShell(line, j, vars, &b) - 1
				default:
					b.WriteByte(line[j])
				}
			}
			i = j
		case c == '\\' && i+1 < len(line):
			inWord = true
			i++
			b.WriteByte(line[i])
		case c == '$':
			inWord = true
			i = expandShell(line, i, vars, &b) - 1
		default:
			inWord = true
			b.WriteByte(c)
		}
	}
	if inWord {
		words = append(words, b.String())
	}
	return words, rest
}

// expandShell expands the parameter reference at line[i] == '$' into b
// and returns the index after it.
func expandShell(line string, i int, vars map[string]string, b *strings.Builder) int {
	j := i + 1
	if j < len(line) && line[j] == '{' {
		end := strings.IndexByte(line[j:], '}')
		if end < 0 {
			b.WriteString(line[i:])
			return len(line)
		}
		expr := line[j+1 : j+end]
		k := 0
		for k < len(expr) && (expr[k] == '_' || expr[k] >= 'A' && expr[k] <= 'Z' || expr[k] >= 'a' && expr[k] <= 'z' || k > 0 && expr[k] >= '0' && expr[k] <= '9') {
			k++
		}
		name, op := expr[:k], expr[k:]
		v, set := vars[name]
		colon := strings.HasPrefix(op, ":")
		if colon {
			op = op[1:]
		}
		empty := !set || (colon && v == "")
		switch {
		case op == "":
			b.WriteString(v)
		case op[0] == '-':
			if empty {
				b.WriteString(op[1:])
			} else {
				b.WriteString(v)
			}
		case op[0] == '=':
			if empty {
				vars[name] = op[1:]
				b.WriteString(op[1:])
			} else {
				b.WriteString(v)
			}
		case op[0] == '+':
			if !empty {
				b.WriteString(op[1:])
			}
		default: // ${NAME#pat} and friends: keep the value
			b.WriteString(v)
		}
		return j + end + 1
	}
	k := j
	for k < len(line) && (line[k] == '_' || line[k] >= 'A' && line[k] <= 'Z' || line[k] >= 'a' && line[k] <= 'z' || k > j && line[k] >= '0' && line[k] <= '9') {
		k++
	}
	if k == j {
		b.WriteByte('$')
		return j
	}
	b.WriteString(vars[line[j:k]])
	return k
}

// closesOnSameLine reports whether a compound command opened on line also
// ends there ("if …; then …; fi").
func closesOnSameLine(line string) bool {
	for _, end := range []string{"fi", "esac", "done"} {
		if strings.HasSuffix(line, ";"+end) || strings.HasSuffix(line, " "+end) {
			return true
		}
	}
	return false
}
