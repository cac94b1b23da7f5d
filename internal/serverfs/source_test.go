package serverfs

import (
	"errors"
	"io/fs"
	"testing"
)

// mapSource serves files from a map and counts the reads of each.
type mapSource struct {
	files map[string]string
	reads map[string]int
}

func (m mapSource) ReadFile(p string) ([]byte, error) {
	m.reads[p]++
	s, ok := m.files[p]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	return []byte(s), nil
}

func (m mapSource) Glob(string) ([]string, error) { return nil, nil }

// TestRecordingSourceOnReadStops: once OnRead refuses a file (the memory
// budget is spent), that read and every read of a file not read before
// fail with its error, without reading; files read before are still
// served from the record.
func TestRecordingSourceOnReadStops(t *testing.T) {
	errBudget := errors.New("over budget")
	next := mapSource{files: map[string]string{"/a": "1234", "/b": "12345678", "/c": "1"}, reads: map[string]int{}}
	s := NewRecordingSource("/main", []byte("main"), next)
	total := 0
	s.OnRead = func(n int) error {
		total += n
		if total > 10 {
			return errBudget
		}
		return nil
	}
	for _, tc := range []struct {
		path    string
		want    string
		wantErr error
	}{
		{"/main", "main", nil},
		{"/a", "1234", nil},
		{"/b", "", errBudget}, // 4+8 bytes: past the budget
		{"/c", "", errBudget}, // not read at all
		{"/a", "1234", nil},   // read before
		{"/b", "", errBudget},
	} {
		b, err := s.ReadFile(tc.path)
		if string(b) != tc.want || !errors.Is(err, tc.wantErr) {
			t.Errorf("ReadFile(%s) = %q, %v; want %q, %v", tc.path, b, err, tc.want, tc.wantErr)
		}
	}
	if want := map[string]int{"/a": 1, "/b": 1}; len(next.reads) != len(want) || next.reads["/a"] != 1 || next.reads["/b"] != 1 {
		t.Errorf("reads %v, want %v", next.reads, want)
	}
}
