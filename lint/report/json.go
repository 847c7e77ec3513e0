package report

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/baseline"
)

// JSONSchemaVersion is the version of the json format. It changes only when
// a field is removed or changes meaning; new fields may appear without it.
const JSONSchemaVersion = 1

// JSONReport is the document that the json format writes (JSON.md has the
// same description with an example). Every list is present, empty as [];
// every field is always present unless marked optional.
//
//	{
//	  "schemaVersion": 1,             // JSONSchemaVersion
//	  "version": "1.2.0",             // canpull's version ("" when unknown)
//	  "findings": [ JSONFinding ],    // in the engine's order: file, line, column, rule
//	  "suppressed": [ JSONFinding ],  // silenced by an ignore comment or the configuration
//	  "errors": [ JSONError ],        // inputs that could not be read or evaluated
//	  "stats": JSONStats
//	}
//
// Paths are relative to the base folder (Options.BaseDir: canpull gives
// the repository root, else the folder it was run in, or --base-dir) with
// forward slashes; a file outside it keeps its absolute path, still with
// forward slashes.
type JSONReport struct {
	SchemaVersion int           `json:"schemaVersion"`
	Version       string        `json:"version"`
	Findings      []JSONFinding `json:"findings"`
	Suppressed    []JSONFinding `json:"suppressed"`
	Errors        []JSONError   `json:"errors"`
	Stats         JSONStats     `json:"stats"`
	// StaleBaseline are the baseline's entries that no finding matched
	// (--baseline): fixed, or gone.
	StaleBaseline []baseline.Entry `json:"staleBaseline"`
}

// JSONFinding is one finding.
//
//	{
//	  "rule": "CP203",                // the rule's stable ID
//	  "name": "public-ip-disabled",   // the rule's name
//	  "severity": "error",            // "error", "warning" or "note"
//	  "headline": "…",                // what is wrong and where, one line under 160 characters
//	  "detail": "…",                  // the body: AWS's error, the path, why ("" when none; "\n" between paragraphs)
//	  "message": "…",                 // headline and detail on one line, as before they were apart
//	  "fix": "…",                     // how to fix it, on one line ("" when none)
//	  "range": JSONRange,             // where
//	  "related": [ {"message": "…", "range": JSONRange} ],
//	  "key": "aws_ecs_service.web",   // what the finding is about ("" when unknown)
//	  "fingerprint": "…",             // stable across edits that move the finding
//	  "unverified": false,            // a CP001 note: a check stopped on an unknown fact
//	  "stoppedRule": "",              // on such a note, the rule that stopped ("CP203"), else ""
//	  "roots": ["envs/prod"],         // the root modules whose check reported it ([] for JSON documents)
//	  "instances": ["module.svc"],    // the module instances it holds for, the one it names first ([] outside modules)
//	  "fixable": false,               // canpull --fix can fix it
//	  "suppression": null             // in "suppressed": JSONSuppression
//	}
//
// The fingerprint hashes the rule ID, the key and the file's path, never a
// line number; findings that would share one get ":2", ":3", … appended.
type JSONFinding struct {
	Rule        string        `json:"rule"`
	Name        string        `json:"name"`
	Severity    string        `json:"severity"`
	Headline    string        `json:"headline"`
	Detail      string        `json:"detail"`
	Message     string        `json:"message"`
	Fix         string        `json:"fix"`
	Range       *JSONRange    `json:"range"`
	Related     []JSONRelated `json:"related"`
	Key         string        `json:"key"`
	Fingerprint string        `json:"fingerprint"`
	Unverified  bool          `json:"unverified"`
	StoppedRule string        `json:"stoppedRule"`
	// Roots are the folders of the root modules whose check reported the
	// finding: more than one for a module they share.
	Roots []string `json:"roots"`
	// Instances are the addresses of the module instances the finding
	// holds for: the one its text names, then those the driver merged
	// into it (their text names the first three).
	Instances []string `json:"instances"`
	// Fixable says that the rule offers an edit that --fix applies.
	Fixable bool `json:"fixable"`
	// Suppression is null for a finding of "findings".
	Suppression *JSONSuppression `json:"suppression"`
}

// JSONSuppression says what silenced a finding:
//
//	{"kind": "inSource", "justification": "…", "range": JSONRange}
//
// kind is "inSource" for a canpull:ignore comment (range is the comment)
// and "external" for an ignore block of the configuration file (range is
// the block); justification is the reason given, "" when none was.
type JSONSuppression struct {
	Kind          string     `json:"kind"`
	Justification string     `json:"justification"`
	Range         *JSONRange `json:"range"`
}

// JSONRelated is a secondary place that a finding follows (the subnet, the
// route table, the role): {"message": "…", "range": JSONRange}.
type JSONRelated struct {
	Message string     `json:"message"`
	Range   *JSONRange `json:"range"`
	// Path is set on the related place that describes a subnet's way out
	// to the registry; omitted elsewhere.
	Path *JSONPath `json:"path,omitempty"`
}

// JSONPath is one subnet's way out to the registry, as a network rule
// followed it: {"service", "subnet", "routeTable", "destination", "target",
// "problem"}; a field is "" where the path has no such hop.
type JSONPath struct {
	Service     string `json:"service"`
	Subnet      string `json:"subnet"`
	RouteTable  string `json:"routeTable"`
	Destination string `json:"destination"`
	Target      string `json:"target"`
	Problem     string `json:"problem"`
}

// JSONRange is a span of a file; end is exclusive. It is null when the
// place is not known.
//
//	{"file": "network/main.tf",
//	 "start": {"line": 12, "column": 5, "byte": 301},
//	 "end":   {"line": 12, "column": 29, "byte": 325}}
type JSONRange struct {
	File  string  `json:"file"`
	Start JSONPos `json:"start"`
	End   JSONPos `json:"end"`
}

// JSONPos is a position in a file: line and column count from 1 (the
// column in characters as they appear: a letter with a combining accent is
// one), byte is the offset from the start of the file, counting from 0.
type JSONPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// JSONError is an input that could not be read or evaluated; the rest of
// the inputs were still linted.
//
//	{"severity": "error", "summary": "…", "detail": "…", "range": JSONRange or null}
type JSONError struct {
	Severity string     `json:"severity"` // "error" or "warning"
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail"`
	Range    *JSONRange `json:"range"`
}

// JSONStats says what was scanned and what could not be verified.
//
//	{"files": 14, "modules": 1, "taskDefinitions": 3, "services": 2,
//	 "unverified": 1, "unverifiedTaskDefinitions": 0, "unverifiedServices": 1,
//	 "unknownFacts": 2, "suppressed": 0,
//	 "findings": {"error": 2, "warning": 1, "note": 0}}
type JSONStats struct {
	Files int `json:"files"` // input files read
	// FilesWithFindings counts the files that hold a finding (input
	// errors are listed apart, under errors).
	FilesWithFindings int `json:"filesWithFindings"`
	Modules           int `json:"modules"`         // Terraform root modules loaded
	TaskDefinitions   int `json:"taskDefinitions"` // task definitions checked
	Services          int `json:"services"`        // services checked
	// Unverified counts task definitions and services that some rule could
	// not check fully because a fact was unknown.
	Unverified                int `json:"unverified"`
	UnverifiedTaskDefinitions int `json:"unverifiedTaskDefinitions"`
	UnverifiedServices        int `json:"unverifiedServices"`
	// UnknownFacts counts the places where a check stopped on an unknown
	// fact: the notes that --show-unverified shows.
	UnknownFacts int `json:"unknownFacts"`
	// Suppressed counts the findings in "suppressed".
	Suppressed int `json:"suppressed"`
	// Baselined counts the findings that the baseline holds (--baseline):
	// not reported.
	Baselined int        `json:"baselined"`
	Findings  JSONCounts `json:"findings"`
}

// JSONCounts counts findings by severity.
type JSONCounts struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Note    int `json:"note"`
}

func writeJSON(b *bytes.Buffer, e *env) error {
	doc := e.jsonReport()
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func (e *env) jsonReport() *JSONReport {
	res := e.res
	doc := &JSONReport{
		SchemaVersion: JSONSchemaVersion,
		Version:       e.opts.Version,
		Findings:      []JSONFinding{},
		Suppressed:    []JSONFinding{},
		Errors:        []JSONError{},
		StaleBaseline: append([]baseline.Entry{}, res.StaleBaseline...),
	}
	for i, f := range res.Findings {
		doc.Findings = append(doc.Findings, e.jsonFinding(f, e.fingerprints[i]))
	}
	for i, f := range res.Suppressed {
		doc.Suppressed = append(doc.Suppressed, e.jsonFinding(f, e.fingerprints[len(res.Findings)+i]))
	}
	for _, d := range res.Errors {
		if d == nil {
			continue
		}
		doc.Errors = append(doc.Errors, JSONError{
			Severity: diagSeverity(d),
			Summary:  d.Summary,
			Detail:   d.Detail,
			Range:    e.jsonRange(d.Subject),
		})
	}
	s := res.Stats
	ne, nw, nn := counts(res.Findings)
	doc.Stats = JSONStats{
		Files:                     s.Files,
		FilesWithFindings:         filesWithFindings(res),
		Modules:                   s.Modules,
		TaskDefinitions:           s.TaskDefinitions,
		Services:                  s.Services,
		Unverified:                s.Unverified,
		UnverifiedTaskDefinitions: s.UnverifiedTaskDefinitions,
		UnverifiedServices:        s.UnverifiedServices,
		UnknownFacts:              s.UnknownFacts,
		Suppressed:                len(res.Suppressed),
		Baselined:                 len(res.Baselined),
		Findings:                  JSONCounts{Error: ne, Warning: nw, Note: nn},
	}
	return doc
}

func (e *env) jsonFinding(f lint.Finding, fp string) JSONFinding {
	jf := JSONFinding{
		Rule:        f.RuleID,
		Name:        f.RuleName,
		Severity:    f.Severity.String(),
		Headline:    f.Message,
		Detail:      f.Detail,
		Message:     oneLine(f),
		Fix:         f.Fix,
		Fixable:     len(f.Edits) > 0,
		Range:       e.jsonRange(&f.Range),
		Related:     []JSONRelated{},
		Key:         f.Key,
		Fingerprint: fp,
		Unverified:  f.Unverified,
		StoppedRule: f.StoppedRule,
		Roots:       []string{},
		Instances:   instances(f),
	}
	for _, r := range f.Roots {
		p, _ := e.path(r)
		jf.Roots = append(jf.Roots, p)
	}
	for _, r := range f.Related {
		jr := JSONRelated{Message: r.Message, Range: e.jsonRange(&r.Range)}
		if p := r.Path; p != nil {
			jr.Path = &JSONPath{Service: p.Service, Subnet: p.Subnet, RouteTable: p.RouteTable,
				Destination: p.Destination, Target: p.Target, Problem: p.Problem}
		}
		jf.Related = append(jf.Related, jr)
	}
	if s := f.Suppression; s != nil {
		jf.Suppression = &JSONSuppression{Kind: s.Kind, Justification: s.Justification, Range: e.jsonRange(&s.Range)}
	}
	return jf
}

func (e *env) jsonRange(r *hcl.Range) *JSONRange {
	if r == nil || (r.Filename == "" && r.Start.Line == 0) {
		return nil
	}
	p, _ := e.path(r.Filename)
	return &JSONRange{
		File:  p,
		Start: JSONPos{Line: r.Start.Line, Column: r.Start.Column, Byte: r.Start.Byte},
		End:   JSONPos{Line: r.End.Line, Column: r.End.Column, Byte: r.End.Byte},
	}
}

// oneLine is a finding's headline and body as one line: the message of
// formats that have room for one text only.
func oneLine(f lint.Finding) string {
	detail := strings.Join(strings.Fields(f.Detail), " ")
	switch {
	case detail == "":
		return f.Message
	case strings.HasSuffix(f.Message, ".") || strings.HasSuffix(f.Message, "?"):
		return f.Message + " " + detail
	}
	return f.Message + ". " + detail
}

// instances lists the module instances a finding holds for, its own first;
// a finding outside every module (or of a document) has none.
func instances(f lint.Finding) []string {
	out := []string{}
	if f.Module != "" {
		out = append(out, f.Module)
	}
	for _, m := range f.Merged {
		if m.Module != "" && !slices.Contains(out, m.Module) {
			out = append(out, m.Module)
		}
	}
	return out
}
