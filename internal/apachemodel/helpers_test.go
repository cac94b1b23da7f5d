package apachemodel

import (
	"testing"

	"github.com/authlint/authlint/htaccess"
	"github.com/authlint/authlint/internal/serverfs"
)

// buildConf builds the model of a configuration text (no files read).
func buildConf(t *testing.T, conf string) *Model {
	t.Helper()
	const p = "/nonexistent/authlint-test/httpd.conf"
	c := htaccess.Load(serverfs.NewRecordingSource(p, []byte(conf), serverfs.OSFS{}), p, htaccess.LoadOptions{ServerRoot: "/srv"})
	return Build(c, false).Freeze()
}
