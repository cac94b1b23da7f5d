package sysmem

import (
	"testing"
	"testing/fstest"
)

func TestRead(t *testing.T) {
	meminfo := &fstest.MapFile{Data: []byte("MemTotal:        4024132 kB\nMemFree:          123456 kB\n")}
	const total = 4024132 * 1024
	tests := []struct {
		name      string
		files     fstest.MapFS
		total     int64
		cgroup    int64
		from      string
		available int64
	}{
		{name: "no cgroup", files: fstest.MapFS{"proc/meminfo": meminfo}, total: total, available: total},
		{name: "v2 container, max", files: fstest.MapFS{
			"proc/meminfo":             meminfo,
			"proc/self/cgroup":         {Data: []byte("0::/\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("max\n")},
		}, total: total, available: total},
		{name: "v2 container limit", files: fstest.MapFS{
			"proc/meminfo":             meminfo,
			"proc/self/cgroup":         {Data: []byte("0::/\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("536870912\n")},
		}, total: total, cgroup: 512 << 20, from: "/sys/fs/cgroup/memory.max", available: 512 << 20},
		{name: "v2 nested: the parent's lower limit holds", files: fstest.MapFS{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": {Data: []byte("0::/system.slice/ci.service\n")},
			"sys/fs/cgroup/system.slice/ci.service/memory.max": {Data: []byte("max\n")},
			"sys/fs/cgroup/system.slice/memory.max":            {Data: []byte("268435456\n")},
		}, total: total, cgroup: 256 << 20, from: "/sys/fs/cgroup/system.slice/memory.max", available: 256 << 20},
		{name: "v1 memory controller", files: fstest.MapFS{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": {Data: []byte("12:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n")},
			"sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes": {Data: []byte("1073741824\n")},
		}, total: total, cgroup: 1 << 30, from: "/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", available: 1 << 30},
		{name: "v1 unlimited", files: fstest.MapFS{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": {Data: []byte("4:memory:/\n")},
			"sys/fs/cgroup/memory/memory.limit_in_bytes": {Data: []byte("9223372036854771712\n")},
		}, total: total, available: total},
		{name: "limit above the RAM", files: fstest.MapFS{
			"proc/meminfo":             meminfo,
			"proc/self/cgroup":         {Data: []byte("0::/\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("17179869184\n")},
		}, total: total, cgroup: 16 << 30, from: "/sys/fs/cgroup/memory.max", available: total},
		{name: "nothing readable", files: fstest.MapFS{}},
		{name: "garbage", files: fstest.MapFS{
			"proc/meminfo":             {Data: []byte("MemTotal: lots\n")},
			"proc/self/cgroup":         {Data: []byte("junk\n0::relative\n")},
			"sys/fs/cgroup/memory.max": {Data: []byte("-5\n")},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Read(tt.files)
			if got.Total != tt.total || got.Cgroup != tt.cgroup || got.CgroupFile != tt.from {
				t.Errorf("Read = %+v, want total %d cgroup %d from %q", got, tt.total, tt.cgroup, tt.from)
			}
			if a := got.Available(); a != tt.available {
				t.Errorf("Available = %d, want %d", a, tt.available)
			}
		})
	}
}
