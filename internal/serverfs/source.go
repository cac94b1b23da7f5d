package serverfs

import (
	"strings"
	"sync"
)

// Source is what the config loaders read through: nginxconf.Source
// and htaccess.Source (which may also answer IsDir).
type Source interface {
	ReadFile(name string) ([]byte, error)
	Glob(pattern string) ([]string, error)
}

// RecordingSource serves the already-read main file, delegates the rest,
// and keeps every file it read, so that snippets need no second read.
type RecordingSource struct {
	path string
	data []byte
	next Source
	// OnRead, when set, is told the size of each file read from next.
	OnRead func(n int)
	mu     sync.Mutex // the loader reads included files in parallel
	read   map[string][]byte
}

func NewRecordingSource(path string, data []byte, next Source) *RecordingSource {
	return &RecordingSource{path: path, data: data, next: next, read: map[string][]byte{}}
}

func (s *RecordingSource) ReadFile(p string) ([]byte, error) {
	if p == s.path {
		return s.data, nil
	}
	s.mu.Lock()
	b, ok := s.read[p]
	s.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := s.next.ReadFile(p)
	if err == nil {
		if s.OnRead != nil {
			s.OnRead(len(b))
		}
		s.mu.Lock()
		s.read[p] = b
		s.mu.Unlock()
	}
	return b, err
}

func (s *RecordingSource) Glob(pattern string) ([]string, error) { return s.next.Glob(pattern) }

// IsDir answers for Apache's Include of a directory; a source that cannot
// tell says no, and the loader lists the directory instead.
func (s *RecordingSource) IsDir(p string) bool {
	if d, ok := s.next.(interface{ IsDir(string) bool }); ok {
		return d.IsDir(p)
	}
	ms, err := s.next.Glob(GlobEscape(p) + "/*")
	return err == nil && len(ms) > 0
}

// GlobEscape escapes the glob metacharacters of a literal path.
func GlobEscape(p string) string {
	var b strings.Builder
	for _, c := range p {
		if strings.ContainsRune(`*?[\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}
