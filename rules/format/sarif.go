package format

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"github.com/authlint/authlint/internal/position"
	"github.com/authlint/authlint/rules"
)

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// sarifSrcRoot is the uriBaseId of relative artifact URIs: the directory
	// authlint ran in.
	sarifSrcRoot = "%SRCROOT%"
	toolInfoURI  = "https://github.com/authlint/authlint"
	// ruleDocURI is the helpUri pattern: the ref (docRef) and the rule ID.
	ruleDocURI = "https://github.com/authlint/authlint/blob/%s/rules/docs/%s.md"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name,omitempty"`
	ShortDescription     *sarifText      `json:"shortDescription,omitempty"`
	FullDescription      *sarifText      `json:"fullDescription,omitempty"`
	Help                 *sarifText      `json:"help,omitempty"`
	HelpURI              string          `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           sarifProperties `json:"properties"`
}

// sarifProperties is the property bag GitHub code scanning reads: tags
// (rules only) and the security severity (security.go).
type sarifProperties struct {
	Tags             []string `json:"tags,omitempty"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID           string             `json:"ruleId"`
	RuleIndex        *int               `json:"ruleIndex,omitempty"`
	Level            string             `json:"level"`
	Message          sarifText          `json:"message"`
	Locations        []sarifLocation    `json:"locations,omitempty"`
	RelatedLocations []sarifLocation    `json:"relatedLocations,omitempty"`
	Suppressions     []sarifSuppression `json:"suppressions,omitempty"`
	Properties       sarifProperties    `json:"properties"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// SARIF prints a SARIF 2.1.0 log with one run: the rules of opts.Rules in
// tool.driver.rules and one result per finding. Suppressed findings are kept,
// with an inSource suppression carrying the ignore comment's reason. A rule's
// documentation is written once, as its help; results only point at it.
func SARIF(w io.Writer, findings []rules.Finding, opts Options) error {
	driver := sarifDriver{
		Name:           "authlint",
		Version:        opts.ToolVersion,
		InformationURI: toolInfoURI,
		Rules:          []sarifRule{},
	}
	ref := docRef(opts.ToolVersion)
	index := make(map[string]int, len(opts.Rules))
	for _, r := range opts.Rules {
		if _, dup := index[r.ID]; dup {
			continue
		}
		index[r.ID] = len(driver.Rules)
		driver.Rules = append(driver.Rules, sarifRuleOf(r, ref))
	}

	results := []sarifResult{}
	for _, f := range findings {
		res := sarifResult{
			RuleID:     f.RuleID,
			Level:      sarifLevel(f.Severity),
			Message:    sarifText{Text: f.Message},
			Properties: sarifProperties{SecuritySeverity: securitySeverity(f.RuleID, f.Severity)},
		}
		if i, ok := index[f.RuleID]; ok {
			res.RuleIndex = &i
		}
		if f.File != "" {
			res.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical(f.File, f.Span)}}
		}
		for i, rel := range f.Related {
			if rel.File == "" {
				continue
			}
			loc := sarifLocation{ID: &i, PhysicalLocation: sarifPhysical(rel.File, rel.Span)}
			if rel.Message != "" {
				loc.Message = &sarifText{Text: rel.Message}
			}
			res.RelatedLocations = append(res.RelatedLocations, loc)
		}
		if f.Suppressed {
			res.Suppressions = []sarifSuppression{{Kind: "inSource", Justification: f.SuppressReason}}
		}
		results = append(results, res)
	}

	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("write sarif: %w", err)
	}
	return nil
}

// sarifRuleOf describes a rule: its summary, the lead paragraph of its doc
// as the full description, the whole doc (Markdown) as help, with a short
// plain-text help for viewers without Markdown, and code-scanning
// properties.
func sarifRuleOf(r *rules.Rule, ref string) sarifRule {
	helpURI := fmt.Sprintf(ruleDocURI, url.PathEscape(ref), url.PathEscape(r.ID))
	sr := sarifRule{
		ID:                   r.ID,
		Name:                 r.Name,
		HelpURI:              helpURI,
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(r.Severity)},
		Properties:           sarifProperties{Tags: securityTags(r.ID), SecuritySeverity: securitySeverity(r.ID, r.Severity)},
	}
	if r.Summary != "" {
		sr.ShortDescription = &sarifText{Text: r.Summary}
	}
	doc := strings.TrimSpace(r.Doc())
	if lead := docLead(doc); lead != "" {
		sr.FullDescription = &sarifText{Text: lead}
	} else if r.Summary != "" {
		sr.FullDescription = &sarifText{Text: r.Summary}
	}
	if doc != "" {
		sr.Help = &sarifText{
			Text:     "Run `authlint explain " + r.ID + "` or see " + helpURI,
			Markdown: doc,
		}
	}
	return sr
}

// docLead returns the first paragraph after a doc's title, on one line.
func docLead(doc string) string {
	_, body, _ := strings.Cut(doc, "\n")
	body = strings.TrimLeft(body, "\n")
	para, _, _ := strings.Cut(body, "\n\n")
	if strings.HasPrefix(para, "#") || strings.HasPrefix(para, "```") {
		return ""
	}
	return strings.Join(strings.Fields(para), " ")
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "note"
}

func sarifPhysical(file string, span position.Span) sarifPhysicalLocation {
	return sarifPhysicalLocation{ArtifactLocation: sarifArtifact(file), Region: sarifRegionOf(span)}
}

// sarifArtifact turns a file name into a URI: absolute paths become file://
// URIs, relative ones forward-slash relative references based on %SRCROOT%.
func sarifArtifact(file string) sarifArtifactLocation {
	p := filepath.ToSlash(file)
	if filepath.IsAbs(file) || path.IsAbs(p) {
		if !strings.HasPrefix(p, "/") {
			p = "/" + p // a Windows drive path: file:///C:/x
		}
		return sarifArtifactLocation{URI: (&url.URL{Scheme: "file", Path: p}).String()}
	}
	// url.URL.String escapes what a URI cannot hold and prefixes "./" when
	// the first segment has a colon, so that it is not read as a scheme.
	return sarifArtifactLocation{URI: (&url.URL{Path: p}).String(), URIBaseID: sarifSrcRoot}
}

// sarifRegionOf converts a span. SARIF lines and columns are 1-based and a
// zero means "unknown": unknown values are left out, and so is an end that
// does not come after the start.
func sarifRegionOf(span position.Span) *sarifRegion {
	start, end := span.Start, span.End
	if start.Line <= 0 {
		return nil
	}
	r := &sarifRegion{StartLine: int(start.Line)}
	if start.Col > 0 {
		r.StartColumn = int(start.Col)
	}
	switch {
	case end.Line == start.Line:
		if end.Col > max(start.Col, 1) {
			r.EndLine = int(end.Line)
			r.EndColumn = int(end.Col)
		}
	case end.Line > start.Line:
		r.EndLine = int(end.Line)
		if end.Col > 0 {
			r.EndColumn = int(end.Col)
		}
	}
	return r
}
