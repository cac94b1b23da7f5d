//go:build !unix

package serverfs

// openNoBlock: other systems have no FIFO that an open could block on.
const openNoBlock = 0
