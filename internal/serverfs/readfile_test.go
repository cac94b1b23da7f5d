//go:build unix

package serverfs

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadRegular checks that only regular files within the limit are read,
// and that nothing else is opened for reading: a FIFO without a writer
// would block, /dev/zero never ends.
func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("small.conf", "events {}\n")
	big := write("big.conf", "")
	if err := os.Truncate(big, 3<<30); err != nil { // sparse: nothing written
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "null-link")
	if err := os.Symlink("/dev/null", link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path string
		limit      int64
		want       string
		wantErr    error
	}{
		{"regular", small, 1 << 20, "events {}\n", nil},
		{"at the limit", small, 10, "events {}\n", nil},
		{"over the limit", small, 9, "", ErrTooLarge},
		{"sparse 3 GiB", big, MaxConfigSize, "", ErrTooLarge},
		{"directory", dir, MaxConfigSize, "", ErrNotRegular},
		{"fifo", fifo, MaxConfigSize, "", ErrNotRegular},
		{"/dev/zero", "/dev/zero", MaxConfigSize, "", ErrNotRegular},
		{"/dev/urandom", "/dev/urandom", MaxConfigSize, "", ErrNotRegular},
		{"symlink to /dev/null", link, MaxConfigSize, "", ErrNotRegular},
		{"missing", filepath.Join(dir, "none"), MaxConfigSize, "", os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			go func() {
				defer close(done)
				got, err := ReadRegular(tt.path, tt.limit)
				if !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil || string(got) != tt.want {
					t.Errorf("ReadRegular = %q, %v; want %q, %v", got, err, tt.want, tt.wantErr)
				}
				f, err := OpenRegular(tt.path, tt.limit)
				if err == nil {
					var b []byte
					b, err = io.ReadAll(f)
					f.Close()
					if string(b) != tt.want && err == nil {
						t.Errorf("OpenRegular read %q, want %q", b, tt.want)
					}
				}
				if !errors.Is(err, tt.wantErr) || tt.wantErr == nil && err != nil {
					t.Errorf("OpenRegular: %v, want %v", err, tt.wantErr)
				}
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("blocked")
			}
		})
	}
}

func TestDescribeTypeAndSize(t *testing.T) {
	for _, tt := range []struct {
		n    int64
		want string
	}{{312, "312 bytes"}, {64 << 20, "64 MiB"}, {3 << 29, "1.5 GiB"}, {2048, "2 KiB"}} {
		if got := FormatSize(tt.n); got != tt.want {
			t.Errorf("FormatSize(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	st, err := os.Stat("/dev/zero")
	if err != nil {
		t.Skip(err)
	}
	if got := DescribeType(st.Mode()); got != "a character device" {
		t.Errorf("DescribeType(/dev/zero) = %q", got)
	}
}
