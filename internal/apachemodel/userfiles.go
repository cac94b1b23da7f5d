package apachemodel

import (
	"path"
	"slices"
	"strings"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/filekind"
)

// UserFileRef is a user or group file a configuration references.
type UserFileRef struct {
	Path string // resolved against ServerRoot; "" when it cannot be
	Kind filekind.Kind
	Node *htaccess.Node
	Sec  *Section
}

// AllSections returns the configuration's sections followed by the
// .htaccess files' (each file, then its nested sections). The list is
// shared: callers must not modify it.
func (m *Model) AllSections() []*Section {
	if !m.derived.haveAll {
		out := slices.Clone(m.Sections)
		for _, ht := range m.HtAccess {
			out = append(out, ht.Section)
			out = append(out, ht.nested...)
		}
		m.derived.allSections, m.derived.haveAll = slices.Clip(out), true
	}
	return m.derived.allSections
}

// ResolveFile resolves an AuthUserFile/AuthGroupFile argument
// (`ap_server_root_relative`: ServerRoot-relative, also in .htaccess; scenario
// `apache-htaccess-relative`); "" when the ServerRoot is unknown.
func (m *Model) ResolveFile(n *htaccess.Node) string {
	if p, ok := m.resolved[n]; ok {
		return p
	}
	return m.resolveFile(n)
}

func (m *Model) resolveFile(n *htaccess.Node) string {
	if len(n.Args) != 1 {
		return ""
	}
	v := n.Args[0].Expanded
	if strings.Contains(v, "${") {
		return ""
	}
	if !path.IsAbs(v) && m.Fragment && !m.ServerRootDefault {
		return ""
	}
	return m.resolve(v)
}

// UserFiles lists the user and group files the configuration references,
// with the kind each is read as. The list is shared: callers must not
// modify it.
func (m *Model) UserFiles() []UserFileRef {
	m.derived.usersOnce.Do(func() { m.derived.userFiles = m.userFileRefs() })
	return m.derived.userFiles
}

func (m *Model) userFileRefs() []UserFileRef {
	var out []UserFileRef
	byName := map[string]filekind.Kind{} // thousands of sections name the same few files
	for _, s := range m.AllSections() {
		c := &s.Conf
		if c.AuthUserFile != nil {
			// The file is linted as what it is named (PW rules then check its
			// lines); a mismatch with the scheme is AP405's finding.
			p := m.ResolveFile(c.AuthUserFile)
			named, ok := byName[p]
			if !ok {
				named = filekind.ByName(p)
				byName[p] = named
			}
			kind := filekind.Htpasswd
			if named == filekind.Htdigest || named == filekind.Htpasswd {
				kind = named
			} else if strings.EqualFold(ArgExpanded(c.AuthType, 0), "digest") ||
				strings.EqualFold(ArgExpanded(c.UseDigestAlgorithm, 0), "md5") {
				kind = filekind.Htdigest
			}
			out = append(out, UserFileRef{Path: p, Kind: kind, Node: c.AuthUserFile, Sec: s})
		}
		if c.AuthGroupFile != nil {
			out = append(out, UserFileRef{Path: m.ResolveFile(c.AuthGroupFile), Kind: filekind.Htgroup, Node: c.AuthGroupFile, Sec: s})
		}
	}
	return out
}
