package servertest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Bounds on every wait.
const (
	startTimeout = 10 * time.Second
	stopTimeout  = 5 * time.Second
	pollEvery    = 20 * time.Millisecond
)

// Server is a running nginx or Apache.
type Server struct {
	Kind     string // "nginx" or "apache"
	Tree     *Tree
	ErrorLog string // path of the error log
	cmd      *exec.Cmd
	stderr   *bytes.Buffer
	exited   chan struct{}
}

// ConfigTest runs the server's own configuration test on the rendered tree
// (nginx -t, apache2 -t) and returns whether it passed and its output.
func ConfigTest(tb TB, kind string, tr *Tree) (bool, string) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var cmd *exec.Cmd
	switch kind {
	case "nginx":
		bin := Require(tb, "nginx")
		_ = os.MkdirAll(filepath.Join(tr.Root, "logs"), 0o755)
		cmd = exec.CommandContext(ctx, bin, "-t", "-p", tr.Root+"/", "-c", filepath.Join(tr.Root, "conf", "nginx.conf"),
			"-e", filepath.Join(tr.Root, "logs", "error.log"))
	case "apache":
		bin := Require(tb, "apache2")
		for _, d := range []string{"logs", "run", "lock"} {
			_ = os.MkdirAll(filepath.Join(tr.Root, d), 0o755)
		}
		cmd = exec.CommandContext(ctx, bin, "-t", "-d", tr.Root, "-f", filepath.Join(tr.Root, "conf", "httpd.conf"))
		cmd.Env = append(os.Environ(), "APACHE_RUN_DIR="+filepath.Join(tr.Root, "run"),
			"APACHE_LOCK_DIR="+filepath.Join(tr.Root, "lock"), "APACHE_LOG_DIR="+filepath.Join(tr.Root, "logs"))
	default:
		tb.Fatalf("unknown server %q", kind)
		return false, ""
	}
	cmd.Dir = tr.Root
	out, err := cmd.CombinedOutput()
	return err == nil, string(out)
}

// Start starts the server of the given kind on the rendered tree and stops
// it by PID when the test ends.
func Start(tb TB, kind string, tr *Tree) *Server {
	tb.Helper()
	s := &Server{Kind: kind, Tree: tr, stderr: &bytes.Buffer{}, exited: make(chan struct{})}
	switch kind {
	case "nginx":
		bin := Require(tb, "nginx")
		for _, d := range []string{"logs", "tmp"} {
			_ = os.MkdirAll(filepath.Join(tr.Root, d), 0o755)
		}
		s.ErrorLog = filepath.Join(tr.Root, "logs", "error.log")
		s.cmd = exec.Command(bin, "-p", tr.Root+"/", "-c", filepath.Join(tr.Root, "conf", "nginx.conf"),
			"-e", s.ErrorLog, "-g", "daemon off; pid "+filepath.Join(tr.Root, "logs", "nginx.pid")+";")
	case "apache":
		bin := Require(tb, "apache2")
		for _, d := range []string{"logs", "run", "lock"} {
			_ = os.MkdirAll(filepath.Join(tr.Root, d), 0o755)
		}
		s.ErrorLog = filepath.Join(tr.Root, "logs", "error.log")
		s.cmd = exec.Command(bin, "-d", tr.Root, "-f", filepath.Join(tr.Root, "conf", "httpd.conf"), "-DFOREGROUND",
			"-E", filepath.Join(tr.Root, "logs", "startup.log"))
		s.cmd.Env = append(os.Environ(), "APACHE_RUN_DIR="+filepath.Join(tr.Root, "run"),
			"APACHE_LOCK_DIR="+filepath.Join(tr.Root, "lock"), "APACHE_LOG_DIR="+filepath.Join(tr.Root, "logs"))
	default:
		tb.Fatalf("unknown server %q", kind)
		return nil
	}
	s.cmd.Dir = tr.Root
	s.cmd.Stdout = s.stderr
	s.cmd.Stderr = s.stderr
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := s.cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", kind, err)
	}
	go func() { _ = s.cmd.Wait(); close(s.exited) }()
	tb.Cleanup(s.Stop)
	if err := s.waitReady(); err != nil {
		tb.Fatalf("%s did not start: %v\nstderr:\n%s\nerror log:\n%s", kind, err, s.stderr, s.logTail())
	}
	return s
}

// waitReady polls the port until it accepts, the process exits, or time runs out.
func (s *Server) waitReady() error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Tree.Port))
	deadline := time.Now().Add(startTimeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return errors.New("the process exited")
		default:
		}
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(pollEvery)
	}
	return fmt.Errorf("no answer on %s within %s", addr, startTimeout)
}

// Stop ends the server by PID: SIGTERM to its process group, then SIGKILL.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		select {
		case <-s.exited:
		case <-time.After(stopTimeout):
		}
	}
}

// logTail returns the end of the error log (and Apache's startup log).
func (s *Server) logTail() string {
	var out []byte
	for _, p := range []string{s.ErrorLog, filepath.Join(s.Tree.Root, "logs", "startup.log")} {
		b, _ := os.ReadFile(p)
		if len(b) > 4000 {
			b = b[len(b)-4000:]
		}
		out = append(out, b...)
	}
	return string(out)
}
