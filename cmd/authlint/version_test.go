package main

import (
	"runtime"
	"runtime/debug"
	"testing"
)

func TestReadBuildInfo(t *testing.T) {
	host := runtime.GOOS + "/" + runtime.GOARCH
	vcs := func(kv ...string) []debug.BuildSetting {
		var s []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			s = append(s, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return s
	}
	const rev = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		name string
		ld   linkerStamp
		bi   *debug.BuildInfo
		want buildInfo
		text string
	}{
		{
			name: "no build info",
			want: buildInfo{Version: "(devel)", GoVersion: runtime.Version(), Platform: host},
			text: "authlint (devel)\ncommit:  unknown\ndate:    unknown\ngo:      " + runtime.Version() + " " + host,
		},
		{
			name: "devel without vcs",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/authlint/authlint", Version: "(devel)"}},
			want: buildInfo{Version: "(devel)", GoVersion: "go1.26.8", Platform: host},
		},
		{
			name: "go install module@tag",
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.1.0"}, Settings: vcs("GOOS", "darwin", "GOARCH", "arm64")},
			want: buildInfo{Version: "v0.1.0", GoVersion: "go1.26.8", Platform: "darwin/arm64"},
			text: "authlint v0.1.0\ncommit:  unknown\ndate:    unknown\ngo:      go1.26.8 darwin/arm64",
		},
		{
			name: "checkout, modified",
			bi: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.1.1-0.20260102150405-0123456789ab+dirty"},
				Settings: vcs("vcs", "git", "vcs.revision", rev, "vcs.time", "2026-01-02T15:04:05Z", "vcs.modified", "true", "GOOS", "linux", "GOARCH", "amd64")},
			want: buildInfo{Version: "v0.1.1-0.20260102150405-0123456789ab+dirty", Revision: rev, Time: "2026-01-02T15:04:05Z", Modified: true, GoVersion: "go1.26.8", Platform: "linux/amd64"},
			text: "authlint v0.1.1-0.20260102150405-0123456789ab+dirty\ncommit:  " + rev + " (modified)\ndate:    2026-01-02T15:04:05Z\ngo:      go1.26.8 linux/amd64",
		},
		{
			name: "release: the linker's version wins",
			ld:   linkerStamp{Version: "v0.1.0"},
			bi: &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"},
				Settings: vcs("vcs.revision", rev, "vcs.time", "2026-01-02T15:04:05Z", "vcs.modified", "false", "GOOS", "windows", "GOARCH", "arm64")},
			want: buildInfo{Version: "v0.1.0", Revision: rev, Time: "2026-01-02T15:04:05Z", GoVersion: "go1.26.8", Platform: "windows/arm64"},
			text: "authlint v0.1.0\ncommit:  " + rev + "\ndate:    2026-01-02T15:04:05Z\ngo:      go1.26.8 windows/arm64",
		},
		{
			name: "release in a linked worktree: the linker's stamp only",
			ld:   linkerStamp{Version: "v0.1.0-2-g0123456-dirty", Commit: rev, Date: "2026-01-02T15:04:05Z", Modified: "true"},
			bi:   &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs("GOOS", "linux", "GOARCH", "arm64")},
			want: buildInfo{Version: "v0.1.0-2-g0123456-dirty", Revision: rev, Time: "2026-01-02T15:04:05Z", Modified: true, GoVersion: "go1.26.8", Platform: "linux/arm64"},
			text: "authlint v0.1.0-2-g0123456-dirty\ncommit:  " + rev + " (modified)\ndate:    2026-01-02T15:04:05Z\ngo:      go1.26.8 linux/arm64",
		},
		{
			name: "the linker's commit replaces the toolchain's, modified flag included",
			ld:   linkerStamp{Commit: rev},
			bi:   &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("vcs.revision", "ffff", "vcs.modified", "true")},
			want: buildInfo{Version: "(devel)", Revision: rev, GoVersion: runtime.Version(), Platform: host},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := readBuildInfo(tc.ld, tc.bi, tc.bi != nil)
			if got != tc.want {
				t.Errorf("got %+v\nwant %+v", got, tc.want)
			}
			if tc.text != "" && got.String() != tc.text {
				t.Errorf("String() = %q\nwant %q", got.String(), tc.text)
			}
		})
	}
}
