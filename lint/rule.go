// Package lint is canpull's rule API: what a rule is (data plus one
// function, in the manner of golang.org/x/tools/go/analysis), what it sees
// while it runs (a Pass over one configuration of the model) and what it
// reports (Findings). The rules live in package rules; package lint/driver
// finds the inputs, loads them through the input packages and runs the
// rules, as go/analysis's checker does for analyzers.
package lint

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// Severity orders findings: a note is advice, a warning may fail, an error
// will fail.
type Severity int

const (
	Note Severity = iota + 1
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Note:
		return "note"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "none"
}

// ParseSeverity reads "error", "warning", "note".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "note":
		return Note, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or note)", s)
}

// Rule is one check. Its documentation is data: the same text feeds
// `canpull explain`, SARIF and the rule's page.
type Rule struct {
	ID       string // "CP203": stable, never reused
	Name     string // "public-ip-disabled"
	Severity Severity
	// Summary is one line: what the rule catches.
	Summary string
	// Doc is the rule's page in Markdown.
	Doc string
	// Run checks one configuration and reports through the pass.
	Run func(*Pass)
}

// Pass is what a rule sees while it runs over one configuration.
type Pass struct {
	Rule   *Rule
	Config *model.Config
	// Scanned holds every configuration of the run, Config among them, for
	// rules that look across folders (a repository defined in one root
	// module, pulled from another).
	Scanned []*model.Config
	// AccountID is the account the tasks run in when the user gave it
	// (--account-id), else "".
	AccountID string

	report func(Finding)
}

// NewPass is for drivers: it prepares the pass of rule r over cfg, whose
// findings go to report.
func NewPass(r *Rule, cfg *model.Config, scanned []*model.Config, accountID string, report func(Finding)) *Pass {
	return &Pass{Rule: r, Config: cfg, Scanned: scanned, AccountID: accountID, report: report}
}

// Report records a finding of the running rule. Severity defaults to the
// rule's own.
func (p *Pass) Report(f Finding) {
	f.RuleID, f.RuleName = p.Rule.ID, p.Rule.Name
	if f.Severity == 0 {
		f.Severity = p.Rule.Severity
	}
	place(p.Config, &f)
	f.Related = dedupeRelated(f.Related)
	p.report(f)
}

// dedupeRelated drops related locations that repeat an earlier one, or that
// have no range: subnets sharing a route table name it once. Paths are kept
// whenever they differ, since instances of one block (count, for_each)
// share its range.
func dedupeRelated(rel []Related) []Related {
	var out []Related
	seen := map[hcl.Range]bool{}
	seenPath := map[PullPath]bool{}
	for _, r := range rel {
		if r.Range.Filename == "" {
			continue
		}
		if r.Path != nil {
			if seenPath[*r.Path] {
				continue
			}
			seenPath[*r.Path] = true
		} else if seen[r.Range] {
			continue
		}
		seen[r.Range] = true
		out = append(out, r)
	}
	return out
}

// Unverified records that the rule had to stop because a fact was unknown:
// a note, shown only with --show-unverified, that says which fact was
// missing (what) and how to supply it (how: "run terraform init", "pass
// --account-id", "scan the folder that defines the role too"). key names
// the object that could not be fully checked.
func (p *Pass) Unverified(r hcl.Range, key, what, how string) {
	p.Report(Finding{
		Severity:   Note,
		Range:      r,
		Key:        key,
		Message:    "could not verify: " + what,
		Fix:        how,
		Unverified: true,
	})
}

// Reportf is Report for the common case of a message and a fix.
func (p *Pass) Reportf(r hcl.Range, key, fix, format string, args ...any) {
	p.Report(Finding{Range: r, Key: key, Fix: fix, Message: fmt.Sprintf(format, args...)})
}

// Finding is one problem found by a rule.
type Finding struct {
	RuleID   string
	RuleName string
	Severity Severity
	// Message is the headline: what is wrong and where, in one line under
	// 160 characters.
	Message string
	// Detail is the body: what AWS will print, the path the rule followed
	// and why it fails, in plain sentences (may hold line breaks).
	Detail string
	// Fix says how to fix it, in one line.
	Fix string
	// Range is the narrowest range that explains the finding.
	Range hcl.Range
	// Related are the other places the finding follows (the subnet, the
	// route table, the role).
	Related []Related
	// Key identifies what the finding is about independently of line
	// numbers (usually an object address); it feeds stable fingerprints.
	Key string
	// Unverified marks a note that says a rule had to stop on an unknown.
	Unverified bool
	// Suppression is set on a finding that an ignore comment or the
	// configuration file silenced; drivers report such findings apart.
	Suppression *Suppression
}

// Suppression says why a finding is not reported. Kind is SARIF's:
// "inSource" for a canpull:ignore comment, "external" for the
// configuration file.
type Suppression struct {
	Kind          string
	Justification string
	// Range is the comment or configuration block that suppressed it.
	Range hcl.Range
}

// Suppression kinds, as SARIF names them.
const (
	SuppressedInSource = "inSource"
	SuppressedExternal = "external"
)

// Related is a secondary location of a finding.
type Related struct {
	Range   hcl.Range
	Message string
	// Path is set on the related location that describes one subnet's way
	// out to the registry, for output that draws it (the job summary's
	// diagrams, the JSON report).
	Path *PullPath
}

// PullPath is one subnet's way out to the registry, as a network rule
// followed it: tasks of Service → Subnet → RouteTable → (Destination →
// Target) → registry, broken where Problem says.
type PullPath struct {
	Service    string
	Subnet     string
	RouteTable string // "" when the subnet's route table is not known
	// Destination and Target are the default route and where it leads;
	// both "" when the subnet has no default route.
	Destination string
	Target      string
	// Problem says why this way out fails: "no public IP", "no ecr.dkr
	// endpoint".
	Problem string
}
