package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// The linker's build stamp, set only by
//
//	go build -ldflags "-X main.buildVersion=v0.1.0 -X main.buildCommit=SHA -X main.buildDate=2026-01-02T15:04:05Z -X main.buildModified=true"
//
// as scripts/release.sh does. No code assigns them: they are constants that
// the build chooses, empty in every other build, which then take what the
// Go toolchain records in the build info. The release script stamps the
// commit itself because the toolchain records none in a linked git worktree
// (golang/go#58218).
var (
	buildVersion  string // release version, e.g. v0.1.0
	buildCommit   string // full commit hash
	buildDate     string // the commit's time, RFC 3339 in UTC
	buildModified string // "true" when the work tree had uncommitted changes
)

// linkerStamp is the linker's build stamp.
type linkerStamp struct{ Version, Commit, Date, Modified string }

// buildInfo is what `authlint version` prints.
type buildInfo struct {
	Version   string // release tag, module version, or "(devel)"
	Revision  string // VCS commit, "" when unknown
	Time      string // VCS commit time (RFC 3339), "" when unknown: builds are reproducible, so the commit's time is the build's date
	Modified  bool   // the work tree had uncommitted changes
	GoVersion string // toolchain, e.g. go1.26.8
	Platform  string // GOOS/GOARCH
}

// readBuildInfo combines the linker's stamp, which wins where it is set,
// with the build info that the Go toolchain embeds: the module version (set
// by `go install module@version`, by a build in a VCS checkout since Go
// 1.24, "(devel)" otherwise) and the vcs.* settings of a build in a
// checkout.
func readBuildInfo(ld linkerStamp, bi *debug.BuildInfo, ok bool) buildInfo {
	b := buildInfo{Version: "(devel)", GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if ok && bi != nil {
		if v := bi.Main.Version; v != "" {
			b.Version = v
		}
		if bi.GoVersion != "" {
			b.GoVersion = bi.GoVersion
		}
		goos, goarch := runtime.GOOS, runtime.GOARCH
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Revision = s.Value
			case "vcs.time":
				b.Time = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			case "GOOS":
				goos = s.Value
			case "GOARCH":
				goarch = s.Value
			}
		}
		b.Platform = goos + "/" + goarch
	}
	if ld.Version != "" {
		b.Version = ld.Version
	}
	if ld.Commit != "" {
		b.Revision, b.Modified = ld.Commit, ld.Modified == "true"
	}
	if ld.Date != "" {
		b.Time = ld.Date
	}
	return b
}

// String is the text of `authlint version` and `authlint --version`: the
// version alone on the first line, for scripts.
func (b buildInfo) String() string {
	or := func(s, dflt string) string {
		if s == "" {
			return dflt
		}
		return s
	}
	commit := or(b.Revision, "unknown")
	if b.Modified {
		commit += " (modified)"
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "authlint %s\n", b.Version)
	fmt.Fprintf(&sb, "commit:  %s\n", commit)
	fmt.Fprintf(&sb, "date:    %s\n", or(b.Time, "unknown"))
	fmt.Fprintf(&sb, "go:      %s %s", b.GoVersion, b.Platform)
	return sb.String()
}

// currentBuild is this binary's build info.
func currentBuild() buildInfo {
	bi, ok := debug.ReadBuildInfo()
	return readBuildInfo(linkerStamp{buildVersion, buildCommit, buildDate, buildModified}, bi, ok)
}

// version is the version string alone, as SARIF's tool.driver.version.
func version() string { return currentBuild().Version }

// Run prints the build info.
func (c *versionCmd) Run(e *env) error {
	_, err := fmt.Fprintln(e.stdout, currentBuild())
	return err
}
