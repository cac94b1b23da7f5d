package format

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/authlint/authlint/rules"
)

// GitHub prints one GitHub Actions workflow command per unsuppressed finding,
// `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=ID name::message`,
// which the runner turns into annotations. Info findings are ::notice.
// Besides GitHub's own escaping (githubEscapeData, githubEscapeProperty),
// file names, titles and messages are made terminal-safe like the text
// format's, since the command lines show in the job's log: every control,
// format or invalid character but CR and LF (which GitHub's escaping
// encodes) is written as a visible escape such as \x1b.
func GitHub(w io.Writer, findings []rules.Finding, _ Options) error {
	bw := bufio.NewWriter(w)
	for _, f := range findings {
		if f.Suppressed {
			continue
		}
		cmd := "notice"
		switch f.Severity {
		case rules.Error:
			cmd = "error"
		case rules.Warning:
			cmd = "warning"
		}
		var props []string
		add := func(k, v string) { props = append(props, k+"="+githubEscapeProperty(v)) }
		if f.File != "" {
			add("file", f.File)
		}
		if r := sarifRegionOf(f.Span); r != nil {
			add("line", strconv.Itoa(r.StartLine))
			if r.StartColumn > 0 {
				add("col", strconv.Itoa(r.StartColumn))
			}
			if r.EndLine > 0 {
				add("endLine", strconv.Itoa(r.EndLine))
			}
			if r.EndColumn > 0 {
				add("endColumn", strconv.Itoa(r.EndColumn))
			}
		}
		add("title", strings.TrimSpace(f.RuleID+" "+f.RuleName))
		fmt.Fprintf(bw, "::%s %s::%s\n", cmd, strings.Join(props, ","), githubEscapeData(f.Message))
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write github: %w", err)
	}
	return nil
}

// githubEscapeData escapes a command's message as the Actions runner expects
// (the same as @actions/core's escapeData), after making it terminal-safe.
func githubEscapeData(s string) string {
	s = escapeString(s, logUnsafe)
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubEscapeProperty escapes a property value: like the message, plus ':'
// and ',' which separate the properties.
func githubEscapeProperty(s string) string {
	s = escapeString(s, logUnsafe)
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
