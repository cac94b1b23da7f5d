package servertest

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// TestHTTPBackend checks the `backend http PATH` stand-in: a world-writable
// UNIX socket that answers any path with 200 and the path it got.
func TestHTTPBackend(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "run", "app.sock")
	StartHTTPBackend(t, sock)
	st, err := os.Stat(sock)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o666 {
		t.Errorf("socket mode = %v, want world-writable", st.Mode().Perm())
	}
	c := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}}
	for _, tc := range []struct{ path, want string }{
		{"/", "backend uri=/\n"},
		{"/status/x.txt", "backend uri=/status/x.txt\n"},
	} {
		resp, err := c.Get("http://localhost" + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != tc.want {
			t.Errorf("GET %s = %d %q, want 200 %q", tc.path, resp.StatusCode, body, tc.want)
		}
	}
}
