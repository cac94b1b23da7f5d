package format

import (
	"strings"

	"github.com/authlint/authlint/rules"
)

// Security severity for GitHub code scanning, which reads a rule's
// properties["security-severity"] (a CVSS-like score as a string) and shows
// it as critical (9.0 and up), high (7.0–8.9), medium (4.0–6.9) or low
// (0.1–3.9). authlint derives it from the rule's consequence class, told by
// its stable ID, and the severity (the rule's default for a rule, the
// finding's for a result, so that a finding reported below its rule's
// default, such as NG303's warning for `allow 127.0.0.1`, is rated lower):
//
//	class     rules                                                    error  warning  info
//	open      3xx (access coverage) but AP305/NG305; AP104 AP105        9.1    6.5      3.1
//	          AP106 AP107 AP111 NG101 NG102 NG407 NG408: the password is
//	          not asked, or more users are admitted than written
//	exposure  AP407 NG403 (the user file is served: the hashes can      7.5    5.3      3.1
//	          be downloaded), NG404 (credentials forwarded)
//	other     everything else: lockouts, 500s, refused reloads          5.3    4.3      2.0
//	          (0xx syntax, 1xx, 4xx missing/unreadable user files,
//	          AP305/NG305 public paths that get 401), hash problems
//	          (2xx: weak, malformed, slow), 5xx error pages
//	tooling   AU9xx: about the run, not the server: authlint's own      2.0    2.0      2.0
//	          ignore comments (AU901 AU902), and what it could not
//	          check (AU903: a file over its size limit, a .htaccess
//	          search past its budget, a non-root run's permissions)
//
// docs/formats.md repeats the table; TestSecuritySeverityTable pins every
// rule's scores so that a new rule's class is a reviewed decision.

type securityClass int

const (
	classOther securityClass = iota
	classOpen
	classExposure
	classTooling
)

// securityClassOf tells a rule's consequence class from its ID: the family
// prefix and the hundreds digit, then the rules whose consequence differs
// from their family's.
func securityClassOf(id string) securityClass {
	switch id {
	case "AP104", "AP105", "AP106", "AP107", "AP111", "NG101", "NG102", "NG407", "NG408":
		return classOpen
	case "AP407", "NG403", "NG404":
		return classExposure
	case "AP305", "NG305":
		return classOther // a public path swallowed by auth fails closed (401)
	}
	if strings.HasPrefix(id, "AU") {
		return classTooling
	}
	if len(id) == 5 && id[2] == '3' && (strings.HasPrefix(id, "AP") || strings.HasPrefix(id, "NG")) {
		return classOpen
	}
	return classOther
}

// securitySeverity returns the code-scanning score of a finding of the rule
// id at severity sev.
func securitySeverity(id string, sev rules.Severity) string {
	var scores [3]string // error, warning, info
	switch securityClassOf(id) {
	case classOpen:
		scores = [3]string{"9.1", "6.5", "3.1"}
	case classExposure:
		scores = [3]string{"7.5", "5.3", "3.1"}
	case classTooling:
		scores = [3]string{"2.0", "2.0", "2.0"}
	default:
		scores = [3]string{"5.3", "4.3", "2.0"}
	}
	switch sev {
	case rules.Error:
		return scores[0]
	case rules.Warning:
		return scores[1]
	}
	return scores[2]
}

// securityTags returns a rule's tags: "security" (code scanning lists only
// rules so tagged as security alerts), then what the rule is about, from
// its ID prefix: AP apache, NG nginx, PW htpasswd (password, digest and
// group files), AU both servers.
func securityTags(id string) []string {
	tags := []string{"security"}
	switch {
	case strings.HasPrefix(id, "AP"):
		tags = append(tags, "apache")
	case strings.HasPrefix(id, "NG"):
		tags = append(tags, "nginx")
	case strings.HasPrefix(id, "PW"):
		tags = append(tags, "htpasswd")
	case strings.HasPrefix(id, "AU"):
		tags = append(tags, "apache", "nginx")
	}
	return tags
}

// docRef returns the git ref whose rules/docs a build's helpUri links to:
// the release tag when the version is one (v0.2.0, v0.3.0-rc.1), and "main"
// for anything else: "(devel)", "", a pseudo-version of an untagged commit,
// a "+dirty" build, or what `git describe --tags --dirty` says of a commit
// after a tag (v0.1.0-3-gabc1234) or of a modified tree (v0.1.0-dirty).
func docRef(version string) string {
	if isReleaseVersion(version) && !isPseudoVersion(version) && !isDescribeSuffix(version) {
		return version
	}
	return "main"
}

// isReleaseVersion reports whether v is a semantic version tag vX.Y.Z with
// an optional pre-release and no build metadata.
func isReleaseVersion(v string) bool {
	rest, ok := strings.CutPrefix(v, "v")
	if !ok {
		return false
	}
	core, pre, hasPre := strings.Cut(rest, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 || hasPre && pre == "" {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return false
		}
	}
	const preChars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-"
	return strings.Trim(pre, preChars) == ""
}

// isPseudoVersion reports whether v ends like a Go pseudo-version:
// [-.]yyyymmddhhmmss-abcdefabcdef (v0.0.0-20260102150405-abcdef012345,
// v0.2.1-0.20260102150405-abcdef012345, v0.3.0-rc.1.0.2026…).
func isPseudoVersion(v string) bool {
	const n = 1 + 14 + 1 + 12
	if len(v) < n {
		return false
	}
	tail := v[len(v)-n:]
	return (tail[0] == '-' || tail[0] == '.') &&
		strings.Trim(tail[1:15], "0123456789") == "" && tail[15] == '-' &&
		strings.Trim(tail[16:], "0123456789abcdef") == ""
}

// isDescribeSuffix reports whether v ends as git describe marks a commit
// after the tag (-N-gHEX) or a modified work tree (-dirty).
func isDescribeSuffix(v string) bool {
	if strings.HasSuffix(v, "-dirty") {
		return true
	}
	i := strings.LastIndex(v, "-g")
	if i < 0 || len(v)-i-2 < 4 || strings.Trim(v[i+2:], "0123456789abcdef") != "" {
		return false
	}
	j := strings.LastIndex(v[:i], "-")
	return j >= 0 && j+1 < i && strings.Trim(v[j+1:i], "0123456789") == ""
}
