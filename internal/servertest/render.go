package servertest

import (
	"bytes"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Tree is a scenario's config tree rendered into a temporary directory.
type Tree struct {
	// Root is the absolute directory holding the rendered tree.
	Root string
	// Port is a free TCP port on 127.0.0.1 (@PORT@); Port2 a second one
	// (@PORT2@), for a server that listens on two ports.
	Port, Port2 int
	// User and Group run the server's workers: www-data when the tests run
	// as root and it exists (so permission scenarios are real), else the
	// current user.
	User, Group string
}

// Placeholders returns the text substitutions applied to every file.
func (tr *Tree) Placeholders() map[string]string {
	return map[string]string{
		"@ROOT@":   tr.Root,
		"@PORT@":   strconv.Itoa(tr.Port),
		"@PORT2@":  strconv.Itoa(tr.Port2),
		"@USER@":   tr.User,
		"@GROUP@":  tr.Group,
		"@MODDIR@": ApacheModuleDir(),
	}
}

// Render copies the directory src into a new temporary directory,
// substituting the placeholders in every file.
func Render(tb TB, src string) *Tree {
	tb.Helper()
	root := tb.TempDir()
	makeTraversable(root)
	ports, err := freePorts(2)
	if err != nil {
		tb.Fatalf("free port: %v", err)
	}
	tr := &Tree{Root: root, Port: ports[0], Port2: ports[1]}
	tr.User, tr.Group = workerAccount()
	repl := tr.Placeholders()
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		dst := filepath.Join(root, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for k, v := range repl {
			data = bytes.ReplaceAll(data, []byte(k), []byte(v))
		}
		data = expandLong(data)
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		tb.Fatalf("render %s: %v", src, err)
	}
	return tr
}

// expandLong replaces "@LONG:N@" with N bytes of 'x': lines too long to
// commit comfortably.
func expandLong(data []byte) []byte {
	for {
		i := bytes.Index(data, []byte("@LONG:"))
		if i < 0 {
			return data
		}
		j := bytes.IndexByte(data[i+6:], '@')
		if j < 0 {
			return data
		}
		n, err := strconv.Atoi(string(data[i+6 : i+6+j]))
		if err != nil || n < 0 || n > 1<<20 {
			return data
		}
		data = append(data[:i:i], append(bytes.Repeat([]byte("x"), n), data[i+6+j+1:]...)...)
	}
}

// makeTraversable opens the directories from dir up to / for search (x) by
// others, so the workers of a server started as root can reach the tree.
func makeTraversable(dir string) {
	for d := dir; d != "/" && d != "."; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return
		}
		if st.Mode().Perm()&0o011 != 0o011 {
			_ = os.Chmod(d, st.Mode().Perm()|0o055)
		}
	}
}

// workerAccount chooses the user the server's workers run as.
func workerAccount() (string, string) {
	if os.Geteuid() == 0 {
		if _, err := user.Lookup("www-data"); err == nil {
			return "www-data", "www-data"
		}
		return "nobody", "nogroup"
	}
	u, err := user.Current()
	if err != nil {
		return "nobody", "nogroup"
	}
	g, err := user.LookupGroupId(u.Gid)
	if err != nil {
		return u.Username, u.Gid
	}
	return u.Username, g.Name
}

// freePorts asks the kernel for n different free ports on 127.0.0.1 (all
// listeners are held open until every port is chosen, so they differ).
func freePorts(n int) ([]int, error) {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("listen: %w", err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// PortOf is the port a request is sent to: Port, or Port2 for a request
// written ":2/path".
func (tr *Tree) PortOf(r Request) int {
	if r.Port2 {
		return tr.Port2
	}
	return tr.Port
}

// ApacheModuleDir finds the directory of Apache's modules at run time.
func ApacheModuleDir() string {
	for _, d := range []string{"/usr/lib/apache2/modules", "/usr/lib64/httpd/modules", "/usr/lib/httpd/modules", "/usr/libexec/apache2", "/usr/local/apache2/modules"} {
		if _, err := os.Stat(filepath.Join(d, "mod_auth_basic.so")); err == nil {
			return d
		}
	}
	return "/usr/lib/apache2/modules"
}

// Setup applies one setup step to the tree: "chmod MODE PATH", "mkdir PATH",
// "symlink TARGET PATH" or "chown USER PATH".
func (tr *Tree) Setup(step string) error {
	f := strings.Fields(step)
	if len(f) < 2 {
		return fmt.Errorf("bad setup step %q", step)
	}
	path := func(i int) string { return filepath.Join(tr.Root, f[i]) }
	switch {
	case f[0] == "chmod" && len(f) == 3:
		mode, err := strconv.ParseUint(f[1], 8, 32)
		if err != nil {
			return fmt.Errorf("setup %q: %w", step, err)
		}
		return os.Chmod(path(2), fs.FileMode(mode))
	case f[0] == "mkdir" && len(f) == 2:
		return os.MkdirAll(path(1), 0o755)
	case f[0] == "symlink" && len(f) == 3:
		return os.Symlink(f[1], path(2))
	case f[0] == "chown" && len(f) == 3:
		u, err := user.Lookup(f[1])
		if err != nil {
			return fmt.Errorf("setup %q: %w", step, err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		return os.Chown(path(2), uid, gid)
	}
	return fmt.Errorf("unknown setup step %q", step)
}

// isRoot reports whether the tests run as root.
func isRoot() bool { return syscall.Geteuid() == 0 }
