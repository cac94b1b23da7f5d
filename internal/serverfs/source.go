package serverfs

import (
	"errors"
	"io/fs"
	"slices"
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
	// OnRead, when set, is told the size of each file read from next. An
	// error it returns (the run's memory budget is spent: a configuration
	// of many large includes) is the error of that read and, without
	// reading, of every read of a file not read before.
	OnRead func(n int) error
	// DevicesEmpty makes a device read as an empty file, as nginx reads
	// one (as many bytes as stat reports: 0); it is still never opened.
	DevicesEmpty bool
	mu           sync.Mutex // the loader reads included files in parallel
	read         map[string][]byte
	skipped      map[string]error
	stop         error // what OnRead returned
}

// Skipped is a file the load did not read and took as empty: one over its
// size limit (ErrTooLarge), one a non-root run may not read
// (fs.ErrPermission), or a device under DevicesEmpty.
type Skipped struct {
	Path string
	Err  error
}

// Skipped lists the files taken as empty, sorted by path.
func (s *RecordingSource) Skipped() []Skipped {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Skipped, 0, len(s.skipped))
	for p, err := range s.skipped {
		out = append(out, Skipped{p, err})
	}
	slices.SortFunc(out, func(a, b Skipped) int { return strings.Compare(a.Path, b.Path) })
	return out
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
	stop := s.stop
	s.mu.Unlock()
	if ok {
		return b, nil
	}
	if stop != nil {
		return nil, stop
	}
	b, err := s.next.ReadFile(p)
	var nr *NotRegularError
	// A file authlint may not read in a run that is not root: the server,
	// started as root, may (RunningAsRoot); its content is not checked.
	denied := errors.Is(err, fs.ErrPermission) && !RunningAsRoot()
	if denied || errors.Is(err, ErrTooLarge) || s.DevicesEmpty && errors.As(err, &nr) && nr.Mode&fs.ModeDevice != 0 {
		s.mu.Lock()
		if s.skipped == nil {
			s.skipped = map[string]error{}
		}
		s.skipped[p] = err
		s.mu.Unlock()
		b, err = []byte{}, nil
	}
	if err == nil {
		if s.OnRead != nil {
			if err := s.OnRead(len(b)); err != nil {
				s.mu.Lock()
				s.stop = err
				s.mu.Unlock()
				return nil, err
			}
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
