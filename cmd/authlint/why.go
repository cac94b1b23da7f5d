package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/authlint/authlint/htpasswd"
	"github.com/authlint/authlint/internal/apachemodel"
	"github.com/authlint/authlint/internal/filekind"
	"github.com/authlint/authlint/internal/nginxmodel"
	"github.com/authlint/authlint/internal/serverfs"
	"github.com/authlint/authlint/internal/why"
	"github.com/authlint/authlint/nginxconf"
	"github.com/authlint/authlint/rules"
	"github.com/authlint/authlint/rules/format"
)

// whyCmd is `authlint why`: what the server does with one request.
type whyCmd struct {
	Conf string `arg:"" name:"config" help:"The server configuration: nginx.conf, httpd.conf, apache2.conf or a vhost file; - reads an nginx -T dump from standard input."`
	URL  string `arg:"" name:"url" help:"The request's URL, http(s)://host[:port]/path?query: the port selects the listening servers, the host (unless --header 'Host: …' is given) the virtual host."`

	Method        string   `default:"GET" help:"Request method."`
	Header        []string `short:"H" sep:"none" placeholder:"'NAME: VALUE'" help:"A request header (repeatable): Host, Origin, X-Forwarded-For, Depth… Credentials go in --user and --password-stdin, never here."`
	User          string   `placeholder:"NAME" help:"Send Basic credentials for this user. Without --password-stdin the prediction assumes the right password: can NAME log in at all?"`
	PasswordStdin bool     `name:"password-stdin" help:"Read the password from the first line of standard input (it is never printed)."`
	Client        string   `default:"127.0.0.1" help:"The client address the server sees (allow/deny, satisfy)."`
	Digest        bool     `help:"Answer a Digest challenge instead of sending Basic credentials."`
	Format        string   `enum:"text,json" default:"text" help:"Output format: ${enum}."`
	Platform      string   `enum:"libxcrypt,glibc,musl,portable" default:"libxcrypt" help:"The C library's crypt(3) on the server: ${enum}."`
	Color         string   `enum:"auto,always,never" default:"auto" help:"Colour in text output: ${enum}. NO_COLOR is honoured by auto."`

	// Project configuration and path mapping, as for check (config.go).
	Config  string   `name:"config" placeholder:"FILE" help:"Configuration file (default: the first .authlint.yaml in the working directory or above it). Flags win over the file."`
	Root    string   `placeholder:"DIR" help:"DIR holds a filesystem image: every absolute server path P is read from DIR/P (same as --map /=DIR)."`
	Map     []string `placeholder:"SERVER=LOCAL" sep:"none" help:"Read the server directory SERVER from LOCAL (repeatable; the longest SERVER wins)."`
	Live    bool     `xor:"live" help:"Read server paths outside every --map/--root from this machine (the default without --root/--map)."`
	Offline bool     `xor:"live" help:"Do not read server paths outside every --map/--root from this machine: what is there counts as unknown (the default with --root/--map)."`
}

// Help is shown by `authlint why --help`.
func (c *whyCmd) Help() string {
	return `Predicts the status the real server answers to one request, and explains it step by step, each step
citing the configuration or user-file line that decided it: which server block or virtual host takes the request,
which location, rewrite and access rules apply, whether the user file is found and the user in it, whether the
password can match, and what the content phase serves. Steps that cannot be decided here (a backend, a variable
the model cannot evaluate) are marked, and the status is then the most likely one.

The lint findings about the lines the steps read are listed with them. Exit status: 0 when a prediction was made
(whatever the status), 2 on a usage error, 3 when the configuration cannot be read.`
}

// settings reuses check's: configuration file, path mapping and platform.
func (c *whyCmd) settings(e *env, kctx *kong.Context) (*settings, error) {
	chk := &checkCmd{Config: c.Config, Root: c.Root, Map: c.Map, Live: c.Live, Offline: c.Offline,
		Platform: c.Platform, FailOn: "never", Server: "any", Color: c.Color, Format: c.Format}
	return chk.settings(e, kctx)
}

// Run predicts the request and prints the prediction.
func (c *whyCmd) Run(e *env, kctx *kong.Context) error {
	usage := func(err error) error { return &exitError{exitUsage, err} }
	st, err := c.settings(e, kctx)
	if err != nil {
		return err
	}
	platform, err := htpasswd.ParsePlatform(st.platform)
	if err != nil {
		return usage(err)
	}
	req, err := c.request()
	if err != nil {
		return usage(err)
	}
	if c.Conf == "-" && c.PasswordStdin {
		return usage(errors.New("--password-stdin and a configuration on standard input (-) cannot share it"))
	}
	if c.PasswordStdin {
		if c.User == "" {
			return usage(errors.New("--password-stdin needs --user"))
		}
		pw, err := readPassword(e.stdin)
		if err != nil {
			return &exitError{exitInput, err}
		}
		req.Password = &pw
	}
	if c.Conf != "-" {
		st.inferLayout([]string{c.Conf}) // a configuration in a checkout, as check does
	}
	fsys := st.fs
	if fsys == nil {
		fsys = serverfs.OSFS{}
	}
	name, data, err := c.readConfig(e)
	if err != nil {
		return err
	}
	kind := filekind.Sniff(name, data[:min(len(data), 4096)])
	if nginxconf.IsDump(data) {
		kind = filekind.Nginx
	}
	var pred why.Prediction
	opts := why.Options{Platform: platform}
	// A file in a mapped directory is loaded under its server path, so that
	// includes and user files resolve as on the server.
	p := name
	if name != "<stdin>" {
		p = serverfs.ServerPathOf(fsys, name)
	}
	switch kind {
	case filekind.Nginx:
		ld, err := nginxmodel.Load(fsys, p, data, nginxmodel.LoadOptions{})
		if err != nil {
			return &exitError{exitInput, err}
		}
		pred = nginxmodel.Predict(nginxmodel.Build(ld.Conf), fsys, req, opts)
	case filekind.Apache:
		ld := apachemodel.Load(fsys, p, data, apachemodel.LoadOptions{})
		pred = apachemodel.Predict(ld.Builder.Freeze(), fsys, req, opts)
	default:
		return usage(fmt.Errorf("%s: not an nginx or Apache configuration", name))
	}
	// The lint findings of the same configuration, for the lines the
	// steps read.
	lintPath := name
	var stdin io.Reader
	if c.Conf == "-" {
		lintPath, stdin = "-", bytes.NewReader(data)
	}
	res, lintErr := rules.Lint(rules.Config{Paths: []string{lintPath}, Stdin: stdin, Type: kind, Servers: rules.AnyServer,
		Platform: platform, Rules: st.rules, FS: st.fs, FSFor: st.fsFor, Inferred: st.inferred, Skip: st.skip})
	if lintErr != nil {
		fmt.Fprintf(e.stderr, "authlint: lint: %v\n", lintErr)
	}
	var findings []rules.Finding
	if res != nil {
		st.applySeverity(res.Findings)
		findings = res.Findings
	}
	displayPlaces(&pred, fsys)
	concerning := format.Concerning(&pred, findings)
	fopts := format.Options{Color: c.color(e), ToolVersion: version(), Rules: st.ruleTable()}
	if c.Format == "json" {
		err = format.WhyJSON(e.stdout, pred, concerning, fopts)
	} else {
		err = format.WhyText(e.stdout, pred, fopts)
	}
	if err != nil {
		return &exitError{exitInput, err}
	}
	e.code = exitOK
	return nil
}

func (c *whyCmd) color(e *env) bool { return useColor(e, c.Color, c.Format) }

// readConfig reads CONFIG (or standard input for -).
func (c *whyCmd) readConfig(e *env) (string, []byte, error) {
	if c.Conf == "-" {
		data, err := io.ReadAll(serverfs.LimitReader(e.stdin, "<stdin>", serverfs.MaxConfigSize))
		if err != nil {
			return "", nil, &exitError{exitInput, fmt.Errorf("read standard input: %w", err)}
		}
		return "<stdin>", data, nil
	}
	// A regular file only, like every input (a device, a FIFO: exit 3).
	data, err := serverfs.ReadRegular(c.Conf, serverfs.MaxConfigSize)
	if err != nil {
		return "", nil, &exitError{exitInput, fmt.Errorf("read %s: %w", c.Conf, err)}
	}
	return c.Conf, data, nil
}

// readPassword reads the first line of r, without its line ending.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), nil
}

// request builds the request from the URL and the flags.
func (c *whyCmd) request() (why.Request, error) {
	req := why.Request{Method: strings.ToUpper(c.Method), Header: http.Header{}, User: c.User, Digest: c.Digest}
	if req.Method == "" || strings.ContainsAny(req.Method, " \t\r\n") {
		return req, fmt.Errorf("bad method %q", c.Method)
	}
	scheme, rest, ok := strings.Cut(c.URL, "://")
	scheme = strings.ToLower(scheme)
	if !ok || (scheme != "http" && scheme != "https") {
		return req, fmt.Errorf("URL %q: want http://host[:port]/path or https://…", c.URL)
	}
	req.Scheme = scheme
	authority, pathQuery := rest, "/"
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority, pathQuery = rest[:i], rest[i:]
	}
	if strings.Contains(authority, "@") {
		return req, errors.New("the URL holds credentials: use --user and --password-stdin, so that the password stays out of the command line")
	}
	pathQuery, _, _ = strings.Cut(pathQuery, "#")
	if !strings.HasPrefix(pathQuery, "/") {
		pathQuery = "/" + pathQuery
	}
	req.Path, req.Query, _ = strings.Cut(pathQuery, "?")
	host, port := authority, ""
	if strings.HasPrefix(authority, "[") {
		end := strings.Index(authority, "]")
		if end < 0 {
			return req, fmt.Errorf("URL %q: bad IPv6 address", c.URL)
		}
		host, port = authority[:end+1], strings.TrimPrefix(authority[end+1:], ":")
	} else if h, p, ok := strings.Cut(authority, ":"); ok {
		host, port = h, p
	}
	if host == "" {
		return req, fmt.Errorf("URL %q has no host", c.URL)
	}
	req.Port = 80
	if scheme == "https" {
		req.Port = 443
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n <= 0 || n > 65535 {
			return req, fmt.Errorf("URL %q: bad port %q", c.URL, port)
		}
		req.Port = n
	}
	req.Addr = strings.Trim(host, "[]")
	req.Host = authority
	for _, h := range c.Header {
		k, v, ok := strings.Cut(h, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return req, fmt.Errorf("--header %q: want 'Name: value'", h)
		}
		v = strings.TrimSpace(v)
		switch http.CanonicalHeaderKey(k) {
		case "Host":
			req.Host = v
		case "Authorization", "Proxy-Authorization":
			return req, errors.New("credentials go in --user and --password-stdin, not in --header")
		default:
			req.Header.Add(k, v)
		}
	}
	client, err := netip.ParseAddr(c.Client)
	if err != nil {
		return req, fmt.Errorf("--client %q: %w", c.Client, err)
	}
	req.Client = client
	return req, nil
}

// displayPlaces shows the steps' server paths as the findings show theirs:
// the local path of a mapped file, the file behind it when it is a symlink
// (sites-enabled/site), relative to the working directory when it is under
// it.
func displayPlaces(p *why.Prediction, fsys serverfs.FS) {
	wd, _ := os.Getwd()
	rel := func(f string) string {
		if wd != "" && filepath.IsAbs(f) {
			if r, err := filepath.Rel(wd, f); err == nil && !strings.HasPrefix(r, "..") {
				return r
			}
		}
		return f
	}
	show := func(pl *why.Place) {
		if pl.File == "" {
			return
		}
		f := rel(fsys.Display(pl.File))
		if fi, err := os.Lstat(f); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			if target, err := filepath.EvalSymlinks(f); err == nil {
				if abs, err := filepath.Abs(target); err == nil {
					f = rel(abs)
				}
			}
		}
		pl.File = f
	}
	if p.Server != nil {
		show(p.Server)
	}
	for i := range p.Steps {
		show(&p.Steps[i].Place)
		for j := range p.Steps[i].Also {
			show(&p.Steps[i].Also[j])
		}
	}
}
