package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
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
	Precision       string   `json:"precision,omitempty"`
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
	Message             sarifMessage       `json:"message"`
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
	Unverified  bool   `json:"unverified"`
	StoppedRule string `json:"stoppedRule,omitempty"`
}

// sarifMessage is a result's message: the plain text, and the same in
// Markdown. Both may link related locations: "[aws_subnet.a](2)".
type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
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

	all := append(append([]lint.Finding(nil), e.res.Findings...), e.res.Suppressed...)
	kept := keepSARIFResults(e.res.Findings, e.res.Suppressed, maxSARIFResults)
	for _, i := range kept {
		run.Results = append(run.Results, e.sarifResult(all[i], e.fingerprints[i], index))
	}
	if dropped := len(all) - len(kept); dropped > 0 {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level: "warning",
			Message: sarifText{Text: fmt.Sprintf("canpull found %d results, and GitHub code scanning takes at most %d in a run: "+
				"this file holds the %d most severe (errors, then warnings, then notes, then suppressed findings) and leaves out %d. "+
				"The text and JSON reports hold them all.", len(all), maxSARIFResults, len(kept), dropped)},
		})
		run.Invocations = []sarifInvocation{inv}
	}
	return &sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
}

// GitHub code scanning's limits on an uploaded SARIF file
// (docs.github.com, "SARIF support for code scanning"): at most 25,000
// results in a run, and 1,000 related locations in a result, of which it
// shows 100. Tests lower the first.
var maxSARIFResults = 25000

const maxSARIFRelated = 100

// keepSARIFResults chooses which of a run's findings and suppressed
// findings fit in max results: all when they fit, else the most severe
// first, suppressed ones last. It returns their indexes into findings
// followed by suppressed, in that order.
func keepSARIFResults(findings, suppressed []lint.Finding, max int) []int {
	n := len(findings) + len(suppressed)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	if n <= max {
		return idx
	}
	rank := func(i int) int {
		if i >= len(findings) {
			return 0
		}
		return int(findings[i].Severity)
	}
	chosen := append([]int(nil), idx...)
	sort.SliceStable(chosen, func(a, b int) bool { return rank(chosen[a]) > rank(chosen[b]) })
	chosen = chosen[:max]
	sort.Ints(chosen)
	return chosen
}

func (e *env) sarifResult(f lint.Finding, fp string, index map[string]int) sarifResult {
	r := sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           index[f.RuleID],
		Level:               sarifLevel(f.Severity),
		Locations:           []sarifLocation{},
		PartialFingerprints: map[string]string{FingerprintKey: fp},
	}
	if pl := e.physicalLocation(f.Range); pl != nil {
		r.Locations = append(r.Locations, sarifLocation{PhysicalLocation: pl})
	}
	related := f.Related
	if len(related) > maxSARIFRelated {
		related = related[:maxSARIFRelated]
	}
	var subjects []string
	for j, rel := range related {
		id := j + 1
		loc := sarifLocation{ID: &id, PhysicalLocation: e.physicalLocation(rel.Range)}
		if rel.Message != "" {
			loc.Message = &sarifText{Text: rel.Message}
		}
		r.RelatedLocations = append(r.RelatedLocations, loc)
		subjects = append(subjects, relatedSubject(rel))
	}
	r.Message = sarifResultMessage(f, subjects)
	if s := f.Suppression; s != nil {
		sup := sarifSuppression{Kind: s.Kind, Justification: s.Justification}
		if pl := e.physicalLocation(s.Range); pl != nil {
			sup.Location = &sarifLocation{PhysicalLocation: pl}
		}
		r.Suppressions = []sarifSuppression{sup}
	}
	if f.Unverified {
		r.Properties = &sarifResultProps{Unverified: true, StoppedRule: f.StoppedRule}
	}
	return r
}

// sarifResultMessage is the headline first (GitHub shows the first line as
// the alert's title), then the body and the fix. The first mention of what
// each related location is about links to it, as SARIF's embedded links
// do: "subnet [aws_subnet.a](2)".
func sarifResultMessage(f lint.Finding, subjects []string) sarifMessage {
	parts := []string{f.Message}
	if f.Detail != "" {
		parts = append(parts, f.Detail)
	}
	if f.Fix != "" {
		parts = append(parts, "Fix: "+f.Fix)
	}
	text := strings.Join(parts, "\n\n")
	text = linkSubjects(text, subjects)
	return sarifMessage{Text: text, Markdown: text}
}

// addressPattern matches what a related location is usually about: a
// Terraform address (aws_subnet.public, module.vpc.aws_subnet.a["x"]).
var addressPattern = regexp.MustCompile(`(?:module\.[A-Za-z0-9_-]+(?:\[[^\]\s]*\])?\.)*(?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]\s]*\])?`)

// relatedSubject is what a related location is about: the subnet of a
// path, else the first address its message names; "" when it names none.
func relatedSubject(r lint.Related) string {
	if r.Path != nil {
		return r.Path.Subnet
	}
	return addressPattern.FindString(r.Message)
}

// linkSubjects links, for each subject in turn, its first mention in text
// that stands as a word of its own and is not inside a link or code span
// already, to the related location with id i+1. Brackets inside a link's
// text are escaped, as SARIF requires.
func linkSubjects(text string, subjects []string) string {
	for i, subj := range subjects {
		if subj == "" {
			continue
		}
		at := findMention(text, subj)
		if at < 0 {
			continue
		}
		label := strings.NewReplacer("[", `\[`, "]", `\]`).Replace(subj)
		text = text[:at] + "[" + label + "](" + strconv.Itoa(i+1) + ")" + text[at+len(subj):]
	}
	return text
}

// findMention finds subj in text as a word of its own (not part of a
// longer address), outside code spans and links; -1 when there is none.
func findMention(text, subj string) int {
	for from := 0; ; {
		i := strings.Index(text[from:], subj)
		if i < 0 {
			return -1
		}
		at, end := from+i, from+i+len(subj)
		from = at + 1
		if at > 0 && (isWordByte(text[at-1]) || text[at-1] == '.') ||
			end < len(text) && (isWordByte(text[end]) || text[end] == '[') {
			continue
		}
		if !insideSpan(text[:at]) {
			return at
		}
	}
}

func isWordByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// insideSpan reports whether the text that precedes a place leaves it
// inside a code span or a link's text.
func insideSpan(before string) bool {
	code, link := false, false
	for i := 0; i < len(before); i++ {
		switch c := before[i]; {
		case c == '\\':
			i++ // an escaped character
		case c == '`':
			code = !code
		case c == '[' && !code:
			link = true
		case c == ']' && !code:
			link = false
		}
	}
	return code || link
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
			Tags:            ruleTags(r),
			Precision:       r.Precision,
			ProblemSeverity: problemSeverity(r.Severity),
		},
	}
	if e.opts.HelpURI != nil {
		sr.HelpURI = e.opts.HelpURI(r)
	}
	return sr
}

// ruleTags are the tags of a rule: canpull and ECS, its group, then its
// own, each once.
func ruleTags(r *lint.Rule) []string {
	tags := []string{"canpull", "ecs"}
	switch {
	case strings.HasPrefix(r.ID, "CP1"):
		tags = append(tags, "iam")
	case strings.HasPrefix(r.ID, "CP2"):
		tags = append(tags, "network")
	case strings.HasPrefix(r.ID, "CP3"):
		tags = append(tags, "image")
	case strings.HasPrefix(r.ID, "CP4"):
		tags = append(tags, "task-definition")
	}
	for _, t := range r.Tags {
		if !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
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
