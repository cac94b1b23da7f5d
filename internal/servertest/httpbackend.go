package servertest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
)

// StartHTTPBackend starts an HTTP stand-in on the UNIX socket path (the
// `backend http PATH` statement of a scenario), for a server that proxies
// to it (Apache: `ProxyPass /app/ "unix:PATH|http://localhost/"`): it
// answers every request with 200 and `backend uri=PATH`, so that a
// scenario can tell an answer of the backend from one of the server. The
// socket is world-writable so that the server's workers (www-data) can
// connect.
func StartHTTPBackend(tb TB, path string) {
	tb.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatalf("http stand-in: %v", err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		tb.Fatalf("http stand-in: %v", err)
	}
	if err := os.Chmod(path, 0o666); err != nil {
		ln.Close()
		tb.Fatalf("http stand-in: %v", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "backend uri=%s\n", r.URL.Path)
	})}
	go func() { _ = srv.Serve(ln) }()
	tb.Cleanup(func() { srv.Close() })
}
