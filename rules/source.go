package rules

import (
	"strings"
	"sync"
)

// configSource is what the config loaders read through: nginxconf.Source
// and htaccess.Source (which may also answer IsDir).
type configSource interface {
	ReadFile(name string) ([]byte, error)
	Glob(pattern string) ([]string, error)
}

// recordingSource serves the already-read main file, delegates the rest,
// and keeps every file it read, so that snippets need no second read.
type recordingSource struct {
	path string
	data []byte
	next configSource
	// onRead, when set, is told the size of each file read from next.
	onRead func(n int)
	mu     sync.Mutex // the loader reads included files in parallel
	read   map[string][]byte
}

func newRecordingSource(path string, data []byte, next configSource) *recordingSource {
	return &recordingSource{path: path, data: data, next: next, read: map[string][]byte{}}
}

func (s *recordingSource) ReadFile(p string) ([]byte, error) {
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
		if s.onRead != nil {
			s.onRead(len(b))
		}
		s.mu.Lock()
		s.read[p] = b
		s.mu.Unlock()
	}
	return b, err
}

func (s *recordingSource) Glob(pattern string) ([]string, error) { return s.next.Glob(pattern) }

// IsDir answers for Apache's Include of a directory; a source that cannot
// tell says no, and the loader lists the directory instead.
func (s *recordingSource) IsDir(p string) bool {
	if d, ok := s.next.(interface{ IsDir(string) bool }); ok {
		return d.IsDir(p)
	}
	ms, err := s.next.Glob(globEscape(p) + "/*")
	return err == nil && len(ms) > 0
}

// sourceLines splits files into lines on first use: most files never need
// a snippet.
type sourceLines struct {
	data  map[string][]byte
	mu    sync.Mutex // guards split: rules running in parallel ask for lines
	split map[string][]string
}

func newSourceLines() *sourceLines {
	return &sourceLines{data: map[string][]byte{}, split: map[string][]string{}}
}

func (s *sourceLines) lines(file string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if l, ok := s.split[file]; ok {
		return l
	}
	var l []string
	if b, ok := s.data[file]; ok {
		l = strings.Split(string(b), "\n")
	}
	s.split[file] = l
	return l
}
