package main

import "syscall"

// memoryLimit is where the collector starts working when it is otherwise
// off: 1 GiB, or a quarter of this machine's memory when that is less.
func memoryLimit() int64 {
	limit := int64(1 << 30)
	var si syscall.Sysinfo_t
	if syscall.Sysinfo(&si) == nil {
		if total := int64(si.Totalram) * int64(si.Unit); total > 0 && total/4 < limit {
			limit = total / 4
		}
	}
	return limit
}
