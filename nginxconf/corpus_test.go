package nginxconf

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpus returns ../shared/corpus/nginx beside the repository (or
// $AUTHLINT_CORPUS/nginx); it fails when missing.
func corpus(t testing.TB) string {
	t.Helper()
	base := os.Getenv("AUTHLINT_CORPUS")
	if base == "" {
		base = "../../shared/corpus"
	}
	dir := filepath.Join(base, "nginx")
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("corpus not found at %s (set AUTHLINT_CORPUS): %v", dir, err)
	}
	return dir
}

// rejectedByNginx lists the corpus configs real nginx 1.22.1 refuses for a
// syntax reason (corpus crossplane/README.md), with the line nginx names.
var rejectedByNginx = map[string]string{
	"crossplane/tests/configs/quote-behavior/nginx.conf":           `1:21: unexpected "-"`,
	"crossplane/tests/configs/missing-semicolon/broken-above.conf": `5:9: unexpected "}"`,
	"crossplane/tests/configs/missing-semicolon/broken-below.conf": `8:9: unexpected "}"`,
}

// notConfigs are corpus files that are not nginx configuration.
func notConfig(rel string) bool {
	base := filepath.Base(rel)
	return strings.HasSuffix(base, ".md") || strings.HasSuffix(base, ".txt") || strings.HasSuffix(base, ".json") ||
		strings.Contains(rel, "not-included.conf") || strings.Contains(rel, "includes-regular/conf.d/") ||
		strings.HasPrefix(base, "h5bp-INDEX")
}

func TestCorpusParses(t *testing.T) {
	dir := corpus(t)
	n := 0
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if notConfig(rel) {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		f := Parse(p, data)
		want, rejected := rejectedByNginx[rel]
		switch {
		case rejected && (len(f.Errors) == 0 || !strings.HasSuffix(f.Errors[0].Error(), want)):
			t.Errorf("%s: nginx says %s; got %v", rel, want, f.Errors)
		case !rejected && len(f.Errors) > 0:
			t.Errorf("%s: nginx accepts it; got %v", rel, f.Errors)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 40 {
		t.Fatalf("only %d corpus configs found", n)
	}
}
