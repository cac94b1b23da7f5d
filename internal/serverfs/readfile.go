package serverfs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Size limits of the files a run reads. A file past its limit is not read
// (ErrTooLarge); the engine reports it as not checked (AU903).
const (
	// MaxConfigSize bounds one configuration file: a main file, an
	// include, a .htaccess. The largest real configurations are a few
	// megabytes (10,000 virtual hosts in 500 files: 3 MB).
	MaxConfigSize = 64 << 20
	// MaxUserFileSize bounds one password, digest or group file (streamed,
	// so the limit bounds time, not memory: a million bcrypt users is
	// 60 MB).
	MaxUserFileSize = 256 << 20
)

// NotRegularError is the error of reading a path that exists but is not a
// regular file: a directory, a device, a FIFO or a socket. The file was
// never opened for reading (a FIFO would block, /dev/zero never ends).
type NotRegularError struct {
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string { return "not a regular file (" + DescribeType(e.Mode) + ")" }

// Is makes errors.Is(err, ErrNotRegular) hold.
func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// FileMode returns the file's type bits (parsers test for this method
// without importing serverfs).
func (e *NotRegularError) FileMode() fs.FileMode { return e.Mode }

// DescribeType names the type of a file that is not a regular one: "a
// directory", "a character device", "a FIFO (named pipe)".
func DescribeType(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO (named pipe)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsRegular():
		return "a regular file"
	}
	return "a special file"
}

// ErrTooLarge is matched (errors.Is) by the error of a file over its size
// limit.
var ErrTooLarge = errors.New("file too large")

// TooLargeError is the error of a file over its size limit; it was not
// read (or not past the limit, when it grew while being read).
type TooLargeError struct {
	Size  int64 // at least this many bytes
	Limit int64
}

func (e *TooLargeError) Error() string {
	if e.Size <= e.Limit+1 { // found while reading: a stream, or a file that grew
		return fmt.Sprintf("larger than authlint's %s limit for this kind of file", FormatSize(e.Limit))
	}
	return fmt.Sprintf("%s, over authlint's %s limit for this kind of file", FormatSize(e.Size), FormatSize(e.Limit))
}

// Is makes errors.Is(err, ErrTooLarge) hold.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// FormatSize renders a byte count: "64 MiB", "1.5 GiB", "312 bytes".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<30))) + " GiB"
	case n >= 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MiB"
	case n >= 1<<10:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KiB"
	}
	return fmt.Sprintf("%d bytes", n)
}

func trimZero(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}

// ReadRegular reads the local file name whole when it is a regular file
// of at most limit bytes. Anything else is refused before it is opened for
// reading (a *NotRegularError or *TooLargeError inside a *fs.PathError): a
// stat first, then an open that cannot block (O_NONBLOCK: a FIFO swapped
// in after the stat), and an fstat of what was opened.
func ReadRegular(name string, limit int64) ([]byte, error) {
	f, size, err := openRegular(name, limit)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &cappedReader{f: f, name: name, left: limit, limit: limit}
	data := make([]byte, 0, min(size, limit)+512)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // the file grew: make room
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// OpenRegular opens the local file name for streaming when it is a
// regular file of at most limit bytes (refused as ReadRegular refuses);
// reading past limit (a file that grows) fails with a *TooLargeError.
func OpenRegular(name string, limit int64) (io.ReadCloser, error) {
	f, _, err := openRegular(name, limit)
	if err != nil {
		return nil, err
	}
	return &cappedReader{f: f, name: name, left: limit, limit: limit}, nil
}

func openRegular(name string, limit int64) (*os.File, int64, error) {
	st, err := os.Stat(name)
	if err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			pe.Op = "open" // as os.ReadFile says
		}
		return nil, 0, err
	}
	if err := checkRegular(name, st, limit); err != nil {
		return nil, 0, err
	}
	f, err := os.OpenFile(name, os.O_RDONLY|openNoBlock, 0)
	if err != nil {
		return nil, 0, err
	}
	st, err = f.Stat()
	if err == nil {
		err = checkRegular(name, st, limit)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// CheckRegular returns the error ReadRegular gives for a file with st
// (nil for a regular file within limit).
func CheckRegular(name string, st fs.FileInfo, limit int64) error {
	return checkRegular(name, st, limit)
}

func checkRegular(name string, st fs.FileInfo, limit int64) error {
	if !st.Mode().IsRegular() {
		return &fs.PathError{Op: "open", Path: name, Err: &NotRegularError{Mode: st.Mode().Type()}}
	}
	if st.Size() > limit {
		return &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: st.Size(), Limit: limit}}
	}
	return nil
}

// cappedReader reads an opened regular file up to its limit.
type cappedReader struct {
	f           *os.File
	name        string
	left, limit int64
}

func (r *cappedReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		// At the limit: one more byte means the file grew past it.
		var one [1]byte
		if n, _ := r.f.Read(one[:]); n > 0 {
			return 0, &fs.PathError{Op: "read", Path: r.name, Err: &TooLargeError{Size: r.limit + 1, Limit: r.limit}}
		}
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.f.Read(p)
	r.left -= int64(n)
	return n, err
}

func (r *cappedReader) Close() error { return r.f.Close() }

// LimitReader reads r up to limit bytes; a byte more fails with a
// *TooLargeError (a stream that never ends, like a pipe from /dev/zero).
func LimitReader(r io.Reader, name string, limit int64) io.Reader {
	return &limitReader{r: r, name: name, left: limit, limit: limit}
}

type limitReader struct {
	r           io.Reader
	name        string
	left, limit int64
}

func (r *limitReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		var one [1]byte
		if n, _ := io.ReadFull(r.r, one[:]); n > 0 {
			return 0, &fs.PathError{Op: "read", Path: r.name, Err: &TooLargeError{Size: r.limit + 1, Limit: r.limit}}
		}
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.r.Read(p)
	r.left -= int64(n)
	return n, err
}

// IsDevNull reports whether fi (followed through symlinks) is this
// machine's /dev/null.
func IsDevNull(fi fs.FileInfo) bool {
	if fi == nil || fi.Mode()&fs.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat("/dev/null")
	return err == nil && os.SameFile(fi, null)
}
