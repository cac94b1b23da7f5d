// Package why holds what the request evaluators of the server models
// share: one HTTP request as a client sends it, and the prediction of what
// the server does with it, step by step. `authlint why` prints a
// Prediction; the scenario harness checks every prediction against the
// real server's answer; the exposure rules ask the same evaluators whether
// a URL needs a password.
package why

import (
	"net/http"
	"net/netip"

	"github.com/authlint/authlint/htpasswd"
)

// Options are the facts about the server machine that a request does not
// carry, shared by every server's evaluator.
type Options struct {
	// Platform is the C library whose crypt(3) the server hands the hash
	// schemes it does not implement itself (--platform): whether a bcrypt
	// or yescrypt entry can log in at all, and whether an unsupported one
	// answers 401 (a failure token) or 500 (NULL).
	Platform htpasswd.Platform
}

// Request is one request as the client sends it.
type Request struct {
	// Method is the request method, upper case ("GET").
	Method string
	// Scheme is "http" or "https"; Port the port the client connects to
	// (80 or 443 when the URL names none).
	Scheme string
	Port   int
	// Addr is the host the client connects to: the URL's host, an IP
	// address or a name (which a server model may not be able to resolve).
	Addr string
	// Host is the Host header: the URL's host unless a Host header was
	// given, as sent (servers lower-case it and drop a port themselves).
	Host string
	// Path is the path as sent, still percent-encoded; Query the part
	// after '?', without it.
	Path  string
	Query string
	// Header holds the other request headers (Origin, X-Forwarded-For,
	// Depth...), canonical names.
	Header http.Header
	// User is the user name the client sends credentials for; "" sends
	// none.
	User string
	// Password is the password sent; nil means "the right one", so that
	// the prediction answers "can User log in at all?". It is never
	// printed.
	Password *string
	// Digest answers the server's Digest challenge instead of sending
	// Basic credentials.
	Digest bool
	// Client is the client address as the server sees it.
	Client netip.Addr
}

// Place is a position in a configuration or user file.
type Place struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
}

// Step is one decision on the way to the status.
type Step struct {
	// Phase names the server's phase: "server", "location", "rewrite",
	// "access", "auth", "user-file", "credentials", "content" (nginx);
	// "vhost", "alias", "rewrite", "directory-walk", "file-walk", "proxy-walk",
	// "location-walk", "if-walk", "authz", "user-file", "credentials",
	// "content" (Apache).
	Phase string `json:"phase"`
	Place
	// Text says what happened, for a person; it never holds a password
	// or hash material.
	Text string `json:"text"`
	// Rule, when set, is the rule whose finding explains this step (the
	// duplicate user of PW108, say).
	Rule string `json:"rule,omitempty"`
	// Uncertain marks a step the evaluator could not decide.
	Uncertain bool `json:"uncertain,omitempty"`
	// Also are other places the step read (the later duplicates of a
	// user that the first line shadows, say).
	Also []Place `json:"also,omitempty"`
}

// Prediction is what the server does with a request.
type Prediction struct {
	// Status is the final status the client sees (after error_page or
	// ErrorDocument); 0 when there is no HTTP answer (no server listens
	// where the client connects) or nothing could be predicted.
	Status int `json:"status"`
	// Certain is false when a step could not be decided (a variable the
	// model cannot evaluate, a module it does not model, a backend): Status
	// is then the most likely one.
	Certain bool `json:"certain"`
	// Server is the server block or virtual host that took the request.
	Server *Place `json:"server,omitempty"`
	Steps  []Step `json:"steps"`
}

// Add appends a step.
func (p *Prediction) Add(phase string, at Place, text string) {
	p.Steps = append(p.Steps, Step{Phase: phase, Place: at, Text: text})
}

// Uncertain records a step the evaluator could not decide and marks the
// prediction uncertain.
func (p *Prediction) Uncertain(phase string, at Place, text string) {
	p.Certain = false
	p.Steps = append(p.Steps, Step{Phase: phase, Place: at, Text: text, Uncertain: true})
}
