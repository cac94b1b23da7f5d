package why

import "github.com/authlint/authlint/htpasswd"

// Options tunes an evaluator.
type Options struct {
	// Platform is the C library whose crypt(3) the server verifies the
	// schemes it does not implement itself with (--platform).
	Platform htpasswd.Platform
}
