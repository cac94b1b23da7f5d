// Package sysmem tells how much memory this process may use: the machine's
// RAM, lowered by the memory limit of its control group (cgroup v2
// memory.max, v1 memory.limit_in_bytes, of its own group and every group
// above it), as a container or a systemd unit sets it.
package sysmem

import (
	"bufio"
	"bytes"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
)

// Info is what the system says about this process's memory.
type Info struct {
	// Total is the machine's RAM in bytes (MemTotal); 0 when unknown.
	Total int64
	// Cgroup is the lowest memory limit of the process's control groups
	// in bytes; 0 when there is none (or it cannot be read).
	Cgroup int64
	// CgroupFile is the file Cgroup came from, for messages.
	CgroupFile string
}

// Available returns the memory this process may use: the cgroup limit when
// there is one below the RAM, else the RAM; 0 when neither is known.
func (i Info) Available() int64 {
	if i.Cgroup > 0 && (i.Total == 0 || i.Cgroup < i.Total) {
		return i.Cgroup
	}
	return i.Total
}

// Read reads the process's memory information from fsys, the root of the
// file system ("/" for the live system, as os.DirFS("/")): proc/meminfo,
// proc/self/cgroup and the sys/fs/cgroup files it points to.
func Read(fsys fs.FS) Info {
	var info Info
	if b, err := fs.ReadFile(fsys, "proc/meminfo"); err == nil {
		info.Total = memTotal(b)
	}
	groups, err := fs.ReadFile(fsys, "proc/self/cgroup")
	if err != nil {
		// No /proc/self/cgroup: the root group's files, if any.
		groups = []byte("0::/\n")
	}
	for _, g := range parseCgroups(groups) {
		for _, file := range g.limitFiles() {
			b, err := fs.ReadFile(fsys, file)
			if err != nil {
				continue
			}
			if n, ok := parseLimit(b); ok && (info.Cgroup == 0 || n < info.Cgroup) {
				info.Cgroup, info.CgroupFile = n, "/"+file
			}
		}
	}
	return info
}

// memTotal parses MemTotal (kB) out of /proc/meminfo.
func memTotal(b []byte) int64 {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "MemTotal:" {
			if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil && kb > 0 && kb < math.MaxInt64/1024 {
				return kb * 1024
			}
		}
	}
	return 0
}

// cgroup is one line of /proc/self/cgroup.
type cgroup struct {
	v2   bool   // the unified hierarchy ("0::/path")
	path string // the group's path in its hierarchy
}

// parseCgroups keeps the unified (v2) line and the v1 memory controller's.
func parseCgroups(b []byte) []cgroup {
	var out []cgroup
	for _, line := range strings.Split(string(b), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 || !strings.HasPrefix(parts[2], "/") {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			out = append(out, cgroup{v2: true, path: parts[2]})
		case containsWord(parts[1], "memory"):
			out = append(out, cgroup{path: parts[2]})
		}
	}
	return out
}

func containsWord(list, w string) bool {
	for _, s := range strings.Split(list, ",") {
		if s == w {
			return true
		}
	}
	return false
}

// limitFiles lists the limit files of the group and of every group above
// it (a parent's limit holds for its children), relative to the root. In a
// container the group's path is often that of the host while the group's
// own files are mounted at the top (cgroup namespaces): the top files are
// read too.
func (g cgroup) limitFiles() []string {
	base, name := "sys/fs/cgroup", "memory.max"
	if !g.v2 {
		base, name = "sys/fs/cgroup/memory", "memory.limit_in_bytes"
	}
	var out []string
	for p := path.Clean(g.path); ; p = path.Dir(p) {
		out = append(out, path.Join(base, p, name))
		if p == "/" {
			break
		}
	}
	return out
}

// parseLimit parses a limit file: "max" (v2) and the huge values v1 uses
// for "no limit" are no limit.
func parseLimit(b []byte) (int64, bool) {
	s := strings.TrimSpace(string(b))
	if s == "" || s == "max" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n >= 1<<60 {
		return 0, false
	}
	return n, true
}
