package rules

import (
	"errors"
	"io/fs"
	"path"
	"regexp/syntax"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/apachemodel"
)

// ApacheAuthSectionNeverMatches reports a section with a password (or a
// deny) that never applies to the requests its pattern names:
//   - a <Files> or <FilesMatch> given a path: ap_file_walk matches the base
//     name of r->filename only, which holds no '/', so the file stays open
//     (scenario `apache-files-path-open`);
//   - a <DirectoryMatch> or <Directory ~> whose regex ends with `$` right
//     after a directory's name: ap_directory_walk matches regex sections
//     once, against the whole r->filename, so the section applies to the
//     bare directory URL alone and every file in the directory is open
//     (scenario `apache-directorymatch-anchor-open`);
//   - a <Location> given a filesystem path: ap_location_walk matches the
//     URL path (scenario `apache-location-path-open`).
var ApacheAuthSectionNeverMatches = &Rule{
	ID: "AP309", Name: "auth-section-never-matches", Severity: Error,
	Summary: "a <Files> or <Location> given a filesystem path, or a <DirectoryMatch> anchored with $, never applies to the files it names",
	Apache: func(p *ApachePass) {
		for _, s := range p.Model.AllSections() {
			if !closesAccess(s) {
				continue
			}
			switch {
			case s.Kind == htaccess.SecFiles || s.Kind == htaccess.SecFilesMatch:
				filesGivenPath(p, s)
			case s.Kind == htaccess.SecDirectoryMatch || s.Kind == htaccess.SecDirectory && s.Regex != nil:
				directoryRegexAnchored(p, s)
			case s.Kind == htaccess.SecLocation && s.Regex == nil && s.Parent == nil:
				locationGivenPath(p, s)
			}
		}
	},
}

// locationGivenPath reports a <Location> given the filesystem path of a
// served file or directory: ap_location_walk matches the URL path, so it
// never applies to the URL that serves that path, which stays open.
func locationGivenPath(p *ApachePass, s *apachemodel.Section) {
	m := p.Model
	fsPath := strings.TrimSuffix(s.Pattern, "/")
	if !path.IsAbs(fsPath) || strings.Count(fsPath, "/") < 2 || strings.ContainsAny(fsPath, "*?[") {
		return
	}
	st, err := p.FS.Stat(fsPath)
	if err != nil {
		return // no such path here: it may well be a URL
	}
	servers := m.ServingServers()
	if top := topSection(s); top.Server != nil && top.Server != m.Main {
		servers = []*apachemodel.Server{top.Server}
	}
	for _, srv := range servers {
		if asURL := m.Resolve(srv, s.Pattern); asURL != "" {
			if _, err := p.FS.Stat(asURL); err == nil {
				continue // the pattern is also a URL that serves something: it may be meant as one
			}
		}
		file := fsPath
		if st.IsDir() {
			if file = firstFileUnder(p, fsPath); file == "" {
				continue
			}
		}
		dirURI := m.URIFor(srv, path.Dir(file))
		if dirURI == "" {
			continue
		}
		uri := dirURI + path.Base(file)
		if _, ok := apachemodel.CutURLPrefix(uri, s.Pattern); ok {
			continue // the path is its URL too (DocumentRoot /)
		}
		e := m.Effect(apachemodel.Request{Server: srv, URI: uri, Method: "GET"})
		if !e.Open() || e.Merged(s) {
			continue
		}
		target := m.URIFor(srv, fsPath)
		if !st.IsDir() {
			target = uri
		}
		p.At(s.Node, "%s names a filesystem path, but <Location> is matched against the URL path (ap_location_walk): it never applies to %s, and GET %s is served %s; write `<Location \"%s\">` or `<Directory \"%s\">`",
			s.Describe(), target, uri, servedHow(s), strings.TrimSuffix(target, "/"), fsPath)
		return
	}
}

// closesAccess reports whether a section's own Require lines keep an
// anonymous GET out (a password or a deny).
func closesAccess(s *apachemodel.Section) bool {
	if s.Node == nil || s.OwnAuthz() == nil {
		return false
	}
	d := s.OwnAuthz().Decide("GET")
	return d == apachemodel.NeedUser || d == apachemodel.Denied
}

// servedHow says how a file the section misses is served: without the
// password it asks, or to everyone when it denies.
func servedHow(s *apachemodel.Section) string {
	if s.OwnAuthz().Decide("GET") == apachemodel.Denied {
		return "to everyone (this section's Require would deny it)"
	}
	return "without a password"
}

// filesGivenPath reports a <Files>/<FilesMatch> whose pattern can only
// match a name holding '/'.
func filesGivenPath(p *ApachePass, s *apachemodel.Section) {
	if s.Regex != nil {
		if !regexNeedsSlash(s.Pattern) {
			return
		}
		if lit, ok := anchoredDirectory(s.Pattern); ok {
			// ^/srv/private/secret\.txt$: one absolute path, as a <Files> would
			// name it.
			for _, f := range filesPathTargets(p, s, lit) {
				if f.unchecked {
					break // the generic warning below
				}
				p.At(s.Node, "%s never applies: a <Files> pattern is compared with the file's base name only (ap_file_walk), which holds no '/'; GET %s is served %s; write `<Directory \"%s\"> <Files \"%s\"> … </Files> </Directory>`",
					s.Describe(), f.uri, servedHow(s), path.Dir(f.file), path.Base(f.file))
				return
			}
		}
		p.ReportSeverityf(Warning, s.Node.File, nodeSpan(s.Node), "%s never applies: a <Files> pattern is compared with the file's base name (ap_file_walk), which holds no '/', and every match of this regex does; its auth guards no file; match the base name in <FilesMatch> and put the directory in a <Directory> around it",
			s.Describe())
		return
	}
	if !strings.Contains(s.Pattern, "/") {
		return
	}
	for _, f := range filesPathTargets(p, s, s.Pattern) {
		sev, note := Error, ""
		if f.unchecked {
			sev, note = Warning, " if it exists (authlint could not check)"
		}
		p.ReportSeverityf(sev, s.Node.File, nodeSpan(s.Node), "%s never applies: a <Files> pattern is compared with the file's base name only (ap_file_walk), which holds no '/'; GET %s is served %s%s; write `<Directory \"%s\"> <Files \"%s\"> … </Files> </Directory>`",
			s.Describe(), f.uri, servedHow(s), note, path.Dir(f.file), path.Base(f.file))
		return // one finding per section
	}
}

// openFile is a file a section misses and the URL that serves it;
// unchecked when this run could not see whether the file exists.
type openFile struct {
	file, uri string
	unchecked bool
}

// filesPathTargets returns the files a <Files> given a path names, with a
// URL that serves each without a password: the path itself when absolute,
// else under the enclosing <Directory> or .htaccess directory, else under
// each server's DocumentRoot; shell wildcards are expanded on disk.
func filesPathTargets(p *ApachePass, s *apachemodel.Section, pattern string) []openFile {
	m := p.Model
	servers := m.ServingServers()
	if top := topSection(s); top.Htaccess == nil && top.Server != nil && top.Server != m.Main {
		servers = []*apachemodel.Server{top.Server}
	}
	var out []openFile
	for _, srv := range servers {
		file := pattern
		if !path.IsAbs(file) {
			base := ""
			if s.Parent != nil && (s.Parent.Kind == "htaccess" || s.Parent.Kind == htaccess.SecDirectory && s.Parent.Regex == nil) {
				base = s.Parent.Pattern
			} else if s.Parent == nil {
				base = m.DocRoot(srv)
			}
			if base == "" || !path.IsAbs(base) {
				continue
			}
			file = path.Join(base, file)
		}
		files := []string{path.Clean(file)}
		if strings.ContainsAny(file, "*?[") {
			files, _ = p.FS.Glob(file)
		}
		for _, f := range files {
			st, err := p.FS.Stat(f)
			unchecked := err != nil && (!errors.Is(err, fs.ErrNotExist) || p.FS.Unchecked(f) != "")
			if err != nil && !unchecked || err == nil && st.IsDir() {
				continue // nothing there to serve
			}
			dirURI := m.URIFor(srv, path.Dir(f))
			if dirURI == "" {
				continue
			}
			uri := dirURI + path.Base(f)
			e := m.Effect(apachemodel.Request{Server: srv, URI: uri, Method: "GET"})
			if e.Open() && !e.Merged(s) {
				out = append(out, openFile{f, uri, unchecked})
			}
		}
	}
	return out
}

func topSection(s *apachemodel.Section) *apachemodel.Section {
	for s.Parent != nil {
		s = s.Parent
	}
	return s
}

// regexNeedsSlash reports whether every match of the regex holds a '/': a
// '/' in a literal of its top-level sequence.
func regexNeedsSlash(expr string) bool {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return false
	}
	re = re.Simplify()
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	for _, s := range subs {
		if s.Op == syntax.OpLiteral && strings.ContainsRune(string(s.Rune), '/') {
			return true
		}
	}
	return false
}

// directoryRegexAnchored reports a regex directory section that ends in
// `$` and matches a directory whose files it does not match: it applies to
// that directory's bare URL only, and the files in it are open. The
// directory is the regex itself when it is one literal path, else one on
// disk below the regex's literal start that the regex matches.
func directoryRegexAnchored(p *ApachePass, s *apachemodel.Section) {
	if !strings.HasPrefix(s.Pattern, "^/") || !strings.HasSuffix(s.Pattern, "$") || strings.HasSuffix(s.Pattern, `\$`) {
		return
	}
	fix := strings.TrimSuffix(s.Pattern, "$") + "(/|$)"
	if dir, ok := anchoredDirectory(s.Pattern); ok {
		st, err := p.FS.Stat(dir)
		switch {
		case err != nil && errors.Is(err, fs.ErrNotExist) && p.FS.Unchecked(dir) == "":
			// no such directory: nothing is served from it
		case err != nil:
			p.ReportSeverityf(Warning, s.Node.File, nodeSpan(s.Node), "%s is matched against the whole path of the file a request maps to, and its `$` ends the match at %s: it applies to the bare directory URL alone; authlint could not read %s to check what it holds, but every file in it is served %s; write %q",
				s.Describe(), dir, dir, servedHow(s), fix)
		case st.IsDir():
			anchoredDirOpen(p, s, dir, fix)
		}
		return
	}
	for _, dir := range regexDirsOnDisk(p, s) {
		if anchoredDirOpen(p, s, dir, fix) {
			return
		}
	}
}

// maxRegexDirStats bounds the entries regexDirsOnDisk looks at.
const maxRegexDirStats = 2000

// regexDirsOnDisk lists the directories below the regex's literal start
// that the section's regex matches.
func regexDirsOnDisk(p *ApachePass, s *apachemodel.Section) []string {
	base := regexLiteralPrefix(s.Pattern)
	if base == "" || base == "/" || strings.ContainsAny(base, "*?[\\") {
		return nil
	}
	// As deep as the regex has '/' after its literal start (a `.*` that
	// crosses more is not followed), three levels at most.
	levels := min(3, strings.Count(strings.TrimPrefix(s.Pattern, "^"+base), "/")+1)
	var out []string
	stats := 0
	for _, pat := range []string{base + "*", base + "*/*", base + "*/*/*"}[:levels] {
		names, _ := p.FS.Glob(pat)
		for _, n := range names {
			if stats++; stats > maxRegexDirStats {
				return out
			}
			if !s.Regex.MatchString(n) {
				continue
			}
			if st, err := p.FS.Stat(n); err == nil && st.IsDir() {
				out = append(out, n)
			}
		}
	}
	return out
}

// anchoredDirOpen reports the section when a file under dir is served
// without a password and the section does not apply to it.
func anchoredDirOpen(p *ApachePass, s *apachemodel.Section, dir, fix string) bool {
	m := p.Model
	file := firstFileUnder(p, dir)
	if file == "" {
		return false // an empty tree: nothing to serve
	}
	servers := m.ServersFor(dir)
	if top := topSection(s); top.Server != nil && top.Server != m.Main {
		servers = []*apachemodel.Server{top.Server}
	}
	for _, srv := range servers {
		dirURI := m.URIFor(srv, path.Dir(file))
		if dirURI == "" {
			continue
		}
		uri := dirURI + path.Base(file)
		e := m.Effect(apachemodel.Request{Server: srv, URI: uri, Method: "GET"})
		if !e.Open() || e.Merged(s) {
			continue
		}
		bare := "URL"
		if u := strings.TrimSuffix(m.URIFor(srv, dir), "/"); u != "" {
			bare = "URL " + u
		}
		p.At(s.Node, "%s is matched against the whole path of the file a request maps to, and its `$` ends the match at %s: it applies to the bare directory %s alone, so GET %s is served %s; write %q to cover the directory and everything below it",
			s.Describe(), dir, bare, uri, servedHow(s), fix)
		return true
	}
	return false
}

// anchoredDirectory reads a regex of the form ^/literal/path$ (an
// unescaped '.' taken as itself, a trailing slash allowed) and returns the
// directory it names.
func anchoredDirectory(expr string) (string, bool) {
	if !strings.HasPrefix(expr, "^/") || !strings.HasSuffix(expr, "$") || strings.HasSuffix(expr, `\$`) {
		return "", false
	}
	body := expr[1 : len(expr)-1]
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\' && i+1 < len(body) && strings.IndexByte(`.-/_+~@`, body[i+1]) >= 0:
			b.WriteByte(body[i+1])
			i++
		case c == '.':
			b.WriteByte('.')
		case strings.IndexByte(`\[](){}*+?|^$`, c) >= 0:
			return "", false
		default:
			b.WriteByte(c)
		}
	}
	d := path.Clean(b.String())
	if d == "/" {
		return "", false
	}
	return d, true
}

// firstFileUnder returns a regular file in dir or in one of its
// subdirectories (the first in name order, two levels at most), "" when
// there is none.
func firstFileUnder(p *ApachePass, dir string) string {
	if strings.ContainsAny(dir, "*?[\\") {
		return ""
	}
	for _, pat := range []string{dir + "/*", dir + "/*/*"} {
		names, _ := p.FS.Glob(pat)
		for _, n := range names {
			if st, err := p.FS.Stat(n); err == nil && st.Mode().IsRegular() && !strings.HasPrefix(path.Base(n), ".ht") {
				return n
			}
		}
	}
	return ""
}
