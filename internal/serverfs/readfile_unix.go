//go:build unix

package serverfs

import "syscall"

// openNoBlock keeps an open from blocking on a FIFO (and from making a
// terminal the controlling one).
const openNoBlock = syscall.O_NONBLOCK | syscall.O_NOCTTY
