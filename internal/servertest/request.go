package servertest

import (
	"crypto/md5"
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
	Method string
	Path   string
	// Port2 sends the request to the tree's second port (@PORT2@): the
	// scenario writes its path ":2/path".
	Port2    bool
	User     string // Basic credentials when User != "" or Password != ""
	Password string
	// Digest sends the credentials with HTTP Digest (RFC 7616, MD5, qop
	// auth) in answer to the server's challenge instead of Basic.
	Digest bool
	Header http.Header
}

// String renders the request as scenario.txt writes it (without the password).
func (r Request) String() string {
	s := r.Method + " " + r.Path
	if r.Port2 {
		s = r.Method + " :2" + r.Path
	}
	if r.User != "" || r.Password != "" {
		s += " as " + r.User
		if r.Digest {
			s += " (digest)"
		}
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
// A Digest request is two: the challenge, then the answer to it.
func (s *Server) Do(r Request) (*Response, error) {
	before := fileSize(s.ErrorLog)
	if r.Digest {
		anon := r
		anon.User, anon.Password, anon.Digest = "", "", false
		first, err := s.do(anon, "")
		if err != nil {
			return &Response{ErrorLog: s.newLogLines(before)}, err
		}
		auth, err := digestAnswer(first.Header.Get("WWW-Authenticate"), r)
		if err != nil {
			return &Response{Status: first.Status, Header: first.Header, ErrorLog: s.newLogLines(before)}, fmt.Errorf("%s: %w", r, err)
		}
		resp, err := s.do(r, auth)
		if err != nil {
			return &Response{ErrorLog: s.newLogLines(before)}, err
		}
		resp.ErrorLog = s.newLogLines(before)
		return resp, nil
	}
	resp, err := s.do(r, "")
	if err != nil {
		return &Response{ErrorLog: s.newLogLines(before)}, err
	}
	resp.ErrorLog = s.newLogLines(before)
	return resp, nil
}

// do sends one request; authorization, when set, is the Authorization
// header to send instead of Basic credentials.
func (s *Server) do(r Request, authorization string) (*Response, error) {
	req, err := http.NewRequest(r.Method, "http://127.0.0.1:"+strconv.Itoa(s.Tree.PortOf(r))+r.Path, nil)
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
	switch {
	case authorization != "":
		req.Header.Set("Authorization", authorization)
	case !r.Digest && (r.User != "" || r.Password != ""):
		req.SetBasicAuth(r.User, r.Password)
	}
	client := &http.Client{Timeout: requestTimeout, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}, nil
}

// digestAnswer computes the Authorization header answering a Digest
// challenge (RFC 7616 with MD5 and qop=auth, or RFC 2069 without qop).
func digestAnswer(challenge string, r Request) (string, error) {
	scheme, params, _ := strings.Cut(challenge, " ")
	if !strings.EqualFold(scheme, "Digest") {
		return "", fmt.Errorf("no Digest challenge (got %q)", challenge)
	}
	p := map[string]string{}
	for _, part := range splitParams(params) {
		k, v, _ := strings.Cut(part, "=")
		p[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
	}
	if alg := p["algorithm"]; alg != "" && !strings.EqualFold(alg, "MD5") {
		return "", fmt.Errorf("digest algorithm %q not supported", alg)
	}
	h := func(s string) string { return fmt.Sprintf("%x", md5.Sum([]byte(s))) }
	ha1 := h(r.User + ":" + p["realm"] + ":" + r.Password)
	ha2 := h(r.Method + ":" + r.Path)
	const cnonce, nc = "0a4f113b", "00000001"
	qop := ""
	for _, q := range strings.Split(p["qop"], ",") {
		if strings.TrimSpace(q) == "auth" {
			qop = "auth"
		}
	}
	resp := h(ha1 + ":" + p["nonce"] + ":" + ha2)
	if qop != "" {
		resp = h(ha1 + ":" + p["nonce"] + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2)
	}
	out := fmt.Sprintf(`Digest username=%q, realm=%q, nonce=%q, uri=%q, response=%q`, r.User, p["realm"], p["nonce"], r.Path, resp)
	if p["algorithm"] != "" {
		out += ", algorithm=" + p["algorithm"]
	}
	if p["opaque"] != "" {
		out += fmt.Sprintf(", opaque=%q", p["opaque"])
	}
	if qop != "" {
		out += ", qop=auth, nc=" + nc + fmt.Sprintf(", cnonce=%q", cnonce)
	}
	return out, nil
}

// splitParams splits a challenge's parameters at commas outside quotes.
func splitParams(s string) []string {
	var out []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
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
