package htpasswd

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// addSeeds adds the files of testdata/seeds, so that fuzzing starts from
// the same seeds in every checkout, and fails when they are missing. With
// $AUTHLINT_CORPUS set (the shared corpus), its password files are added
// too; set but holding none, the test fails rather than seed less.
func addSeeds(f *testing.F) {
	own, _ := filepath.Glob(filepath.Join("testdata", "seeds", "*.ht*"))
	if len(own) == 0 {
		f.Fatal("no fuzz seeds in testdata/seeds")
	}
	var more []string
	if corpus := os.Getenv("AUTHLINT_CORPUS"); corpus != "" {
		more, _ = filepath.Glob(filepath.Join(corpus, "htpasswd", "*", "*.ht*"))
		if len(more) == 0 {
			f.Fatalf("AUTHLINT_CORPUS=%s holds no htpasswd/*/*.ht* files", corpus)
		}
	}
	for _, p := range append(own, more...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) < 1<<16 {
			f.Add(b)
		}
	}
	f.Add([]byte("\ufeffalice:$apr1$x$y\r\nbob\n  # c\n"))
}

// FuzzScanner checks that scanning never panics and every span is in bounds
// and matches the field's text.
func FuzzScanner(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		sc := NewScanner(bytes.NewReader(src))
		for sc.Scan() {
			l := sc.Line()
			if l.Num < 1 || l.Offset < 0 || l.Offset+l.Length > len(src) {
				t.Fatalf("line %d out of bounds: offset %d length %d of %d", l.Num, l.Offset, l.Length, len(src))
			}
			check := func(fl Field) {
				s := fl.Span
				if s.Start.Offset < 0 || s.Start.Offset > s.End.Offset || int(s.End.Offset) > len(src) || s.Start.Line < 1 {
					t.Fatalf("span %+v out of bounds (%d bytes)", s, len(src))
				}
				if !l.Truncated && string(src[s.Start.Offset:s.End.Offset]) != fl.Text {
					t.Fatalf("span text %q != %q", src[s.Start.Offset:s.End.Offset], fl.Text)
				}
			}
			for _, fl := range l.Fields {
				check(fl)
			}
			if l.Kind != KindEntry {
				continue
			}
			e := ParseUserLine(l)
			check(e.User)
			if e.HasColon {
				check(e.Hash)
				h := Classify(e.Hash.Text)
				assertNoLeak(t, e.Hash.Text, h.Problem+" "+Redact(e.Hash.Text))
			}
			g := ParseGroupLine(l)
			for _, m := range g.Members {
				if int(m.Span.Start.Offset) < 0 || int(m.Span.End.Offset) > len(src) || m.Span.Start.Offset > m.Span.End.Offset {
					t.Fatalf("member span %+v out of bounds", m.Span)
				}
			}
			_ = ParseDigestLine(l)
		}
		if sc.Err() != nil {
			t.Fatal(sc.Err())
		}
	})
}

// FuzzClassify checks that classification never panics or leaks.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{"$2y$10$jaKc.5KB79ywobNgVcYeGOHnOZX30b1KZHdmtOQYL7uqSLs.nsYjm", "$apr1$saltsalt$yAAkm4libquA.ZWLHbSBq/", "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "$6$rounds=5000$abc$def", "$y$j9T$salt$hash", "$md5,rounds=9$x$y", "_J9..CCCC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		c := Classify(h)
		if c.Params != "" && len(h) >= len(c.Params) && h[:len(c.Params)] != c.Params {
			t.Fatalf("params %q are not a prefix of the hash", c.Params)
		}
		assertNoLeak(t, h, c.Problem+" "+Redact(h))
		_ = ClassifyDigest(h)
	})
}
