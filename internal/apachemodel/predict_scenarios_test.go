package apachemodel_test

import (
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/servertest"
	"github.com/authlint/authlint/internal/why"
)

// TestPredictScenarios predicts every request of every Apache scenario
// from its configuration alone and requires the status the real server
// answered (the scenario's expectation). The trees are rendered as the
// real-server harness renders them, with the same placeholders, base
// configuration and setup steps, so the configuration, the user files and
// the served files are the ones the real Apache saw.
func TestPredictScenarios(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "scenarios")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("scenarios: %v", err)
	}
	total, exact := 0, 0
	for _, ent := range entries {
		if !ent.IsDir() || !strings.HasPrefix(ent.Name(), "apache-") {
			continue
		}
		sc, err := servertest.ParseScenario(filepath.Join(dir, ent.Name()))
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if sc.Server != "apache" || len(sc.Requests) == 0 {
			continue // `configtest fails` scenarios: the server never starts
		}
		t.Run(sc.Name, func(t *testing.T) {
			if sc.NeedRoot && !servertest.IsRoot() {
				t.Skipf("%s needs root (file permissions for the www-data workers)", sc.Name)
			}
			tr := servertest.RenderScenario(t, sc)
			entry := filepath.Join(tr.Root, sc.Lint)
			data, err := os.ReadFile(entry)
			if err != nil {
				t.Fatalf("%v", err)
			}
			fsys := serverfs.NewCached(serverfs.OSFS{})
			m := apachemodel.Load(fsys, entry, data, apachemodel.LoadOptions{}).Builder.Freeze()
			for _, e := range sc.Requests {
				total++
				req := whyRequest(e.Request, tr.Port)
				pred := apachemodel.Predict(m, fsys, req, why.Options{})
				if pred.Status == e.Status {
					exact++
					continue
				}
				var steps strings.Builder
				for _, s := range pred.Steps {
					steps.WriteString("\n  " + s.Phase + " " + s.File + ":" + strconv.Itoa(s.Line) + ": " + s.Text)
				}
				t.Errorf("scenario.txt:%d: %s: predicted %d (certain=%v), the real Apache answered %d; steps:%s",
					e.Line, e.Request, pred.Status, pred.Certain, e.Status, steps.String())
			}
		})
	}
	t.Logf("%d of %d Apache scenario requests predicted exactly", exact, total)
	if total == 0 {
		t.Fatalf("no Apache scenario request found in %s", dir)
	}
}

// whyRequest is the request the harness sends for a scenario line: to
// 127.0.0.1 on the tree's port, with the Host header Go's client sends
// unless the line gives one.
func whyRequest(r servertest.Request, port int) why.Request {
	path, query, _ := strings.Cut(r.Path, "?")
	req := why.Request{
		Method: r.Method, Scheme: "http", Port: port, Host: "127.0.0.1:" + strconv.Itoa(port),
		Path: path, Query: query, Header: http.Header{}, User: r.User, Digest: r.Digest,
		Client: netip.MustParseAddr("127.0.0.1"),
	}
	for k, vs := range r.Header {
		if http.CanonicalHeaderKey(k) == "Host" {
			req.Host = vs[0]
			continue
		}
		req.Header[http.CanonicalHeaderKey(k)] = vs
	}
	if r.User != "" || r.Password != "" {
		pw := r.Password
		req.Password = &pw
	}
	return req
}
