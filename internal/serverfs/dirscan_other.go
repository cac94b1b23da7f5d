//go:build !linux

package serverfs

// closeFD is never called here: only the Linux scanner keeps a directory
// open (ScanCtx.pfd stays -1), and other systems fall back to ReadDir.
func closeFD(int) {}
