package servertest

import (
	"fmt"
	"net"
	"net/http"
	"net/http/fcgi"
	"os"
	"path/filepath"
)

// StartFastCGI starts a FastCGI stand-in on the UNIX socket path (the
// `backend fastcgi PATH` statement of a scenario): it answers every
// request with 200, the SCRIPT_FILENAME nginx sent and the request path, so
// that a scenario can check which script a URL runs. The socket is
// world-writable so that the server's workers (www-data) can connect.
func StartFastCGI(tb TB, path string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatalf("fastcgi stand-in: %v", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		tb.Fatalf("fastcgi stand-in: %v", err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		ln.Close()
		tb.Fatalf("fastcgi stand-in: %v", err)
	}
	go func() {
		_ = fcgi.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			env := fcgi.ProcessEnv(r)
			fmt.Fprintf(w, "script=%s uri=%s\n", env["SCRIPT_FILENAME"], r.URL.Path)
		}))
	}()
	tb.Cleanup(func() { ln.Close() })
}
