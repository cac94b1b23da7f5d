package format

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/authlint/authlint/internal/why"
	"github.com/authlint/authlint/rules"
)

// WhyJSONVersion is the version of `authlint why`'s JSON; it changes only
// when a field is removed or changes meaning.
const WhyJSONVersion = 1

// Concerning returns the findings at a place a step of p cites (its file and
// line, or one of its other places), and sets each such step's Rule to the
// IDs of the findings there. Step files must be shown as the findings' are.
func Concerning(p *why.Prediction, findings []rules.Finding) []rules.Finding {
	type key struct {
		file string
		line int
	}
	at := map[key][]int{} // finding indexes by place
	for i, f := range findings {
		if f.Suppressed {
			continue
		}
		k := key{f.File, int(f.Span.Start.Line)}
		at[k] = append(at[k], i)
	}
	var picked []int
	for si := range p.Steps {
		st := &p.Steps[si]
		var ids []string
		for _, pl := range append([]why.Place{st.Place}, st.Also...) {
			if pl.Line == 0 {
				continue
			}
			for _, i := range at[key{pl.File, pl.Line}] {
				if !slices.Contains(ids, findings[i].RuleID) {
					ids = append(ids, findings[i].RuleID)
				}
				if !slices.Contains(picked, i) {
					picked = append(picked, i)
				}
			}
		}
		if len(ids) > 0 {
			st.Rule = strings.Join(ids, ",")
		}
	}
	slices.Sort(picked)
	out := make([]rules.Finding, 0, len(picked))
	for _, i := range picked {
		out = append(out, findings[i])
	}
	return out
}

// WhyText prints one line per step (`file:line: phase: text [RULE]`), then
// the predicted status in bold: `→ 401: <the deciding step> (RULE)`.
// Everything printed is terminal-safe.
func WhyText(w io.Writer, p why.Prediction, opts Options) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + ansiReset
	}
	for _, st := range p.Steps {
		loc := ""
		switch {
		case st.File != "" && st.Line > 0:
			loc = fmt.Sprintf("%s:%d: ", safe(st.File), st.Line)
		case st.File != "":
			loc = safe(st.File) + ": "
		}
		mark := ""
		if st.Uncertain {
			mark = paint(ansiYellow, "(cannot decide) ")
		}
		rule := ""
		if st.Rule != "" {
			rule = " " + paint(ansiBold, "["+safe(st.Rule)+"]")
		}
		fmt.Fprintf(bw, "%s%s: %s%s%s\n", paint(ansiBold, loc), st.Phase, mark, safe(st.Text), rule)
	}
	status := fmt.Sprint(p.Status)
	if p.Status == 0 {
		status = "no answer"
	}
	if !p.Certain {
		status = "probably " + status + " (not certain)"
	}
	last := ""
	if n := len(p.Steps); n > 0 {
		last = ": " + safe(p.Steps[n-1].Text)
		if r := p.Steps[n-1].Rule; r != "" {
			last += " (" + safe(r) + ")"
		}
	}
	fmt.Fprintln(bw, paint(ansiBold, "→ "+status+last))
	return bw.Flush()
}

// WhyJSON prints {"version":1,"status":…,"certain":…,"server":{…},
// "steps":[…],"findings":[…]}; the findings have the shape of JSON's.
func WhyJSON(w io.Writer, p why.Prediction, findings []rules.Finding, opts Options) error {
	var buf bytes.Buffer
	if err := JSON(&buf, findings, opts); err != nil {
		return err
	}
	var rep struct {
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &rep); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	if p.Steps == nil {
		p.Steps = []why.Step{}
	}
	if rep.Findings == nil {
		rep.Findings = []json.RawMessage{}
	}
	out := struct {
		Version int `json:"version"`
		why.Prediction
		Findings []json.RawMessage `json:"findings"`
	}{WhyJSONVersion, p, rep.Findings}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
