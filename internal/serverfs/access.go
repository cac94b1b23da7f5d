package serverfs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// Account is a worker user: the identity a server reads user files with.
type Account struct {
	Name string
	UID  int
	GIDs []int // primary group first
}

// LookupAccount resolves a user name (and optional group) on this machine. ok
// is false when the account does not exist here, so access cannot be checked.
func LookupAccount(name, group string) (Account, bool) {
	u, err := user.Lookup(name)
	if err != nil {
		return Account{}, false
	}
	uid, err1 := strconv.Atoi(u.Uid)
	gid, err2 := strconv.Atoi(u.Gid)
	if err1 != nil || err2 != nil {
		return Account{}, false
	}
	acc := Account{Name: name, UID: uid, GIDs: []int{gid}}
	if group != "" {
		if g, err := user.LookupGroup(group); err == nil {
			if id, err := strconv.Atoi(g.Gid); err == nil {
				acc.GIDs = []int{id}
			}
		}
	}
	if ids, err := u.GroupIds(); err == nil {
		for _, s := range ids {
			if id, err := strconv.Atoi(s); err == nil {
				acc.GIDs = append(acc.GIDs, id)
			}
		}
	}
	return acc, true
}

// AccessProblem says why an account cannot read a file.
type AccessProblem struct {
	// Path is the file or directory that stops the account.
	Path string
	// Reason is a short phrase: "mode 0600 root:root", "not a directory".
	Reason string
	// Errno is what open() fails with: EACCES, ENOENT, ENOTDIR, or EISDIR when the
	// open succeeds but reading fails (a directory); 0 for a device, FIFO
	// or socket (Type).
	Errno syscall.Errno
	// Type is the file type of a path that is neither a regular file nor
	// a directory (fs.ModeDevice, fs.ModeNamedPipe, fs.ModeSocket...): what
	// the server does with it depends on the server and the type.
	Type fs.FileMode
}

// Error implements error.
func (p *AccessProblem) Error() string { return fmt.Sprintf("%s: %s", p.Path, p.Reason) }

// CheckReadable checks, from the mode bits, whether acc could open and read
// path: every parent directory needs search (x) permission and the file read
// permission. It returns nil when it can. Root (UID 0) passes every check
// except a missing file or a path through a file.
func CheckReadable(fsys FS, path string, acc Account) *AccessProblem {
	path = filepath.Clean(path)
	var dirs []string
	for d := filepath.Dir(path); ; d = filepath.Dir(d) {
		dirs = append([]string{d}, dirs...)
		if d == filepath.Dir(d) {
			break
		}
	}
	for _, d := range dirs {
		st, err := fsys.Stat(d)
		if err != nil {
			return statProblem(d, err)
		}
		if !st.IsDir() {
			return &AccessProblem{Path: d, Reason: "is not a directory", Errno: syscall.ENOTDIR}
		}
		if !allowed(st, acc, 1) {
			return &AccessProblem{Path: d, Reason: "directory " + describeMode(st) + " has no search (x) permission for " + acc.Name, Errno: syscall.EACCES}
		}
	}
	st, err := fsys.Stat(path)
	if err != nil {
		return statProblem(path, err)
	}
	if st.IsDir() {
		return &AccessProblem{Path: path, Reason: "is a directory", Errno: syscall.EISDIR}
	}
	if !st.Mode().IsRegular() {
		return &AccessProblem{Path: path, Reason: "is " + DescribeType(st.Mode()) + ", not a regular file", Type: st.Mode().Type()}
	}
	if !allowed(st, acc, 4) {
		return &AccessProblem{Path: path, Reason: "file " + describeMode(st) + " is not readable by " + acc.Name, Errno: syscall.EACCES}
	}
	return nil
}

func statProblem(path string, err error) *AccessProblem {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &AccessProblem{Path: path, Reason: "does not exist", Errno: syscall.ENOENT}
	case errors.Is(err, syscall.ENOTDIR):
		return &AccessProblem{Path: path, Reason: "a path component is not a directory", Errno: syscall.ENOTDIR}
	case errors.Is(err, fs.ErrPermission):
		return &AccessProblem{Path: path, Reason: "cannot be inspected (permission denied)", Errno: syscall.EACCES}
	}
	return &AccessProblem{Path: path, Reason: err.Error(), Errno: syscall.EIO}
}

// allowed applies the owner/group/other bits for want (4 read, 1 search).
func allowed(st fs.FileInfo, acc Account, want fs.FileMode) bool {
	if acc.UID == 0 {
		return true
	}
	mode := st.Mode().Perm()
	uid, gid, ok := owner(st)
	if !ok {
		return mode&want != 0
	}
	if int(uid) == acc.UID {
		return mode&(want<<6) != 0
	}
	for _, g := range acc.GIDs {
		if int(gid) == g {
			return mode&(want<<3) != 0
		}
	}
	return mode&want != 0
}

// describeMode renders "mode 0640 root:www-data".
func describeMode(st fs.FileInfo) string {
	s := fmt.Sprintf("mode %04o", st.Mode().Perm())
	if uid, gid, ok := owner(st); ok {
		s += " " + ownerName(uid) + ":" + groupName(gid)
	}
	return s
}

func ownerName(uid uint32) string {
	id := strconv.FormatUint(uint64(uid), 10)
	if u, err := user.LookupId(id); err == nil {
		return u.Username
	}
	return id
}

func groupName(gid uint32) string {
	id := strconv.FormatUint(uint64(gid), 10)
	if g, err := user.LookupGroupId(id); err == nil {
		return g.Name
	}
	return id
}

// RunningAsRoot reports whether authlint runs as root, as the server's
// master does: only then do the workers switch to the configured account.
func RunningAsRoot() bool { return os.Geteuid() == 0 }
