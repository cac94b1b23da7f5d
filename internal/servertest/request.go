package servertest

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// Request is one request of a scenario.
type Request struct {
	Method   string
	Path     string
	User     string // Basic credentials when User != "" or Password != ""
	Password string
	Header   http.Header
}

// String renders the request as scenario.txt writes it (without the password).
func (r Request) String() string {
	s := r.Method + " " + r.Path
	if r.User != "" || r.Password != "" {
		s += " as " + r.User
	} else {
		s += " anonymous"
	}
	return s
}

// Response is what the server answered, with the error-log lines it wrote.
type Response struct {
	Status   int
	Header   http.Header
	Body     string // at most 4 KiB
	ErrorLog []string
}

// requestTimeout bounds every request.
const requestTimeout = 5 * time.Second

// Do sends one request and collects the error-log lines written meanwhile.
func (s *Server) Do(r Request) (*Response, error) {
	before := fileSize(s.ErrorLog)
	req, err := http.NewRequest(r.Method, "http://127.0.0.1:"+strconv.Itoa(s.Tree.Port)+r.Path, nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if h := r.Header.Get("Host"); h != "" {
		req.Host = h // net/http sends req.Host, not a Host header field
	}
	if r.User != "" || r.Password != "" {
		req.SetBasicAuth(r.User, r.Password)
	}
	client := &http.Client{Timeout: requestTimeout, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Do(req)
	if err != nil {
		return &Response{ErrorLog: s.newLogLines(before)}, fmt.Errorf("%s: %w", r, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(body), ErrorLog: s.newLogLines(before)}, nil
}

// newLogLines waits briefly for the log to settle and returns what was
// appended after offset.
func (s *Server) newLogLines(offset int64) []string {
	size := fileSize(s.ErrorLog)
	for i := 0; i < 5; i++ { // at most 5 × 20 ms
		time.Sleep(pollEvery)
		n := fileSize(s.ErrorLog)
		if n == size {
			break
		}
		size = n
	}
	f, err := os.Open(s.ErrorLog)
	if err != nil {
		return nil
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(f, 64*1024))
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}
