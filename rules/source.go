package rules

import (
	"strings"
	"sync"
)

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
