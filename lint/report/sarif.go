package report

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
)

// The SARIF 2.1.0 format, for GitHub code scanning: one run; every rule of
// the registry in tool.driver.rules with the descriptions and help GitHub
// shows; results whose ruleIndex points into that list, with a location
// relative to %SRCROOT% (the base folder), a full region in UTF-16 columns
// (1-based, end exclusive), related locations and partialFingerprints that
// do not depend on line numbers. Input errors are tool execution
// notifications of the invocation.

const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	// InformationURI is canpull's home page, for SARIF's tool.driver.
	InformationURI = "https://github.com/canpull/canpull"
	// FingerprintKey names canpull's entry in SARIF partialFingerprints.
	FingerprintKey = "canpull/v1"
	srcRoot        = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	Invocations        []sarifInvocation                `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds"`
	ColumnKind         string                           `json:"columnKind"`
	Results            []sarifResult                    `json:"results"`
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

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifHelp          `json:"help"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags            []string `json:"tags"`
	ProblemSeverity string   `json:"problem.severity"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          *sarifResultProps  `json:"properties,omitempty"`
}

// sarifSuppression says that a result was silenced, and where: kind
// "inSource" for an ignore comment, "external" for the configuration file.
type sarifSuppression struct {
	Kind          string         `json:"kind"`
	Justification string         `json:"justification,omitempty"`
	Location      *sarifLocation `json:"location,omitempty"`
}

type sarifResultProps struct {
	Unverified bool `json:"unverified"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	Message          *sarifText             `json:"message,omitempty"`
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

func writeSARIF(b *bytes.Buffer, e *env) error {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(e.sarifLog())
}

func (e *env) sarifLog() *sarifLog {
	rules, index := e.sarifRules()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "canpull",
			Version:        e.opts.Version,
			InformationURI: InformationURI,
			Rules:          rules,
		}},
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{
			srcRoot: {URI: fileURI(e.base, true)},
		},
		ColumnKind: "utf16CodeUnits",
		Results:    []sarifResult{},
	}

	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, d := range e.res.Errors {
		if d == nil {
			continue
		}
		sev := diagSeverity(d)
		if sev == "error" {
			inv.ExecutionSuccessful = false
		}
		text := d.Summary
		if d.Detail != "" {
			text += ": " + d.Detail
		}
		n := sarifNotification{Level: sev, Message: sarifText{Text: text}}
		if d.Subject != nil {
			if pl := e.physicalLocation(*d.Subject); pl != nil {
				n.Locations = []sarifLocation{{PhysicalLocation: pl}}
			}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	run.Invocations = []sarifInvocation{inv}

	for i, f := range e.res.Findings {
		run.Results = append(run.Results, e.sarifResult(f, e.fingerprints[i], index))
	}
	for i, f := range e.res.Suppressed {
		run.Results = append(run.Results, e.sarifResult(f, e.fingerprints[len(e.res.Findings)+i], index))
	}
	return &sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
}

func (e *env) sarifResult(f lint.Finding, fp string, index map[string]int) sarifResult {
	text := f.Message
	if f.Fix != "" {
		text += " Fix: " + f.Fix
	}
	r := sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           index[f.RuleID],
		Level:               sarifLevel(f.Severity),
		Message:             sarifText{Text: text},
		Locations:           []sarifLocation{},
		PartialFingerprints: map[string]string{FingerprintKey: fp},
	}
	if pl := e.physicalLocation(f.Range); pl != nil {
		r.Locations = append(r.Locations, sarifLocation{PhysicalLocation: pl})
	}
	for j, rel := range f.Related {
		id := j + 1
		loc := sarifLocation{ID: &id, PhysicalLocation: e.physicalLocation(rel.Range)}
		if rel.Message != "" {
			loc.Message = &sarifText{Text: rel.Message}
		}
		r.RelatedLocations = append(r.RelatedLocations, loc)
	}
	if s := f.Suppression; s != nil {
		sup := sarifSuppression{Kind: s.Kind, Justification: s.Justification}
		if pl := e.physicalLocation(s.Range); pl != nil {
			sup.Location = &sarifLocation{PhysicalLocation: pl}
		}
		r.Suppressions = []sarifSuppression{sup}
	}
	if f.Unverified {
		r.Properties = &sarifResultProps{Unverified: true}
	}
	return r
}

// sarifRules describes every rule of the registry, in order, and then any
// rule that a finding names but the registry lacks, so that every result
// has a ruleIndex. index maps rule IDs to their place.
func (e *env) sarifRules() (rules []sarifRule, index map[string]int) {
	index = map[string]int{}
	for _, r := range e.opts.Rules {
		if r == nil {
			continue
		}
		if _, dup := index[r.ID]; dup {
			continue
		}
		index[r.ID] = len(rules)
		rules = append(rules, e.sarifRule(r))
	}
	for _, f := range append(append([]lint.Finding(nil), e.res.Findings...), e.res.Suppressed...) {
		if _, ok := index[f.RuleID]; ok {
			continue
		}
		index[f.RuleID] = len(rules)
		rules = append(rules, e.sarifRule(&lint.Rule{
			ID:       f.RuleID,
			Name:     f.RuleName,
			Severity: f.Severity,
			Doc:      f.RuleID + " is not in canpull's rule catalogue.",
		}))
	}
	if rules == nil {
		rules = []sarifRule{}
	}
	return rules, index
}

func (e *env) sarifRule(r *lint.Rule) sarifRule {
	short := firstNonEmpty(r.Summary, r.Name, r.ID)
	full := firstNonEmpty(firstParagraph(r.Doc), short)
	helpText := firstNonEmpty(markdownText(r.Doc), short)
	helpMarkdown := firstNonEmpty(r.Doc, short)
	sr := sarifRule{
		ID:                   r.ID,
		Name:                 r.Name,
		ShortDescription:     sarifText{Text: short},
		FullDescription:      sarifText{Text: full},
		Help:                 sarifHelp{Text: helpText, Markdown: helpMarkdown},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(r.Severity)},
		Properties: sarifRuleProps{
			Tags:            ruleTags(r.ID),
			ProblemSeverity: problemSeverity(r.Severity),
		},
	}
	if e.opts.HelpURI != nil {
		sr.HelpURI = e.opts.HelpURI(r)
	}
	return sr
}

// ruleTags are the tags of a rule: canpull and ECS, and its group.
func ruleTags(id string) []string {
	tags := []string{"canpull", "ecs"}
	switch {
	case strings.HasPrefix(id, "CP1"):
		tags = append(tags, "iam")
	case strings.HasPrefix(id, "CP2"):
		tags = append(tags, "network")
	case strings.HasPrefix(id, "CP3"):
		tags = append(tags, "image")
	case strings.HasPrefix(id, "CP4"):
		tags = append(tags, "task-definition")
	}
	return tags
}

func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	case lint.Note:
		return "note"
	}
	return "none"
}

// problemSeverity is GitHub's problem.severity property: error, warning or
// recommendation.
func problemSeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "recommendation"
}

// physicalLocation locates a range: a URI relative to %SRCROOT% when the
// file is under the base folder, an absolute file:// URI otherwise. It is
// nil when the range names no file.
func (e *env) physicalLocation(r hcl.Range) *sarifPhysicalLocation {
	if r.Filename == "" {
		return nil
	}
	p, inside := e.path(r.Filename)
	al := sarifArtifactLocation{URI: fileURI(p, false)}
	if inside {
		al = sarifArtifactLocation{URI: (&url.URL{Path: p}).String(), URIBaseID: srcRoot}
	}
	return &sarifPhysicalLocation{ArtifactLocation: al, Region: e.sarifRegion(r)}
}

// sarifRegion gives lines and UTF-16 columns, counted from 1, with an
// exclusive end that never comes before the start. Columns come from the
// file's text when the result holds it, from the range's own columns
// otherwise; they are left out when neither is known.
func (e *env) sarifRegion(r hcl.Range) *sarifRegion {
	if r.Start.Line < 1 {
		return nil
	}
	reg := &sarifRegion{StartLine: r.Start.Line, EndLine: r.Start.Line}
	startCol, endCol := r.Start.Column, r.End.Column
	endKnown := r.End.Line >= r.Start.Line
	if endKnown {
		reg.EndLine = r.End.Line
	}
	if src := e.source(r.Filename); src != nil {
		if off, ok := src.offset(r.Start); ok {
			startCol = src.utf16Column(off)
		}
		if off, ok := src.offset(r.End); ok && endKnown {
			endCol = src.utf16Column(off)
		}
	}
	if startCol < 1 {
		return reg
	}
	reg.StartColumn = startCol
	if !endKnown || endCol < 1 || (reg.EndLine == reg.StartLine && endCol < startCol) {
		endCol = startCol
	}
	reg.EndColumn = endCol
	return reg
}

// fileURI makes a file:// URI of a slash-separated absolute path; dir adds
// the final slash that a base URI needs.
func fileURI(p string, dir bool) string {
	p = strings.ReplaceAll(p, "\\", "/")
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: C:/x
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
