// Package lint is canpull's rule API: what a rule is (data plus one
// function, in the manner of golang.org/x/tools/go/analysis), what it sees
// while it runs (a Pass over one configuration of the model) and what it
// reports (Findings). The rules live in package rules; package lint/driver
// finds the inputs, loads them through the input packages and runs the
// rules, as go/analysis's checker does for analyzers.
package lint

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

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
	// Precision says how often a finding of the rule is right, in GitHub
	// code scanning's words: "very-high", "high", "medium" or "low". A rule
	// that fires only on what the configuration proves is "very-high"; one
	// whose finding may not bite (a rate limit, a tag that may exist) is
	// lower.
	Precision string
	// Tags say what the rule is about beyond its group (iam, network,
	// image, task-definition), for filters in code scanning: "fargate",
	// "secrets", "vpc-endpoints".
	Tags []string
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
	// Sources holds the text of every file read, by the name used in
	// ranges, for rules that offer edits (see Finding.Edits); nil when the
	// driver has none, and then no rule offers an edit.
	Sources map[string][]byte

	report func(Finding)
}

// NewPass is for drivers: it prepares the pass of rule r over cfg, whose
// findings go to report.
func NewPass(r *Rule, cfg *model.Config, scanned []*model.Config, accountID string, report func(Finding)) *Pass {
	return &Pass{Rule: r, Config: cfg, Scanned: scanned, AccountID: accountID, report: report}
}

// WithReport is a copy of the pass whose findings go to report instead:
// for a rule that reworks the findings of another before they are reported.
func (p *Pass) WithReport(report func(Finding)) *Pass {
	c := *p
	c.report = report
	return &c
}

// Source returns the text of a file the inputs read, as it was linted.
func (p *Pass) Source(name string) ([]byte, bool) {
	src, ok := p.Sources[name]
	return src, ok
}

// Report records a finding of the running rule. Severity defaults to the
// rule's own. A finding marked Unverified becomes a note of
// UnverifiedInput (CP001) that names the rule that had to stop: one ID
// says "could not verify", whichever check it was.
func (p *Pass) Report(f Finding) {
	if f.Unverified && f.StoppedRule != "" {
		// A CP001 note already: a pass that wraps another (the rules'
		// CloudFormation words) reports what the inner one made.
		p.report(f)
		return
	}
	f.RuleID, f.RuleName = p.Rule.ID, p.Rule.Name
	if f.Severity == 0 {
		f.Severity = p.Rule.Severity
	}
	if f.Unverified {
		f.StoppedRule = p.Rule.ID
		f.RuleID, f.RuleName, f.Severity = UnverifiedInput.ID, UnverifiedInput.Name, Note
		f.Message = p.Rule.ID + " could not verify: " + f.Message
		stopped := fmt.Sprintf("%s %s stopped here: what it needs to know is unknown, so it reports nothing (unknown is not wrong).", p.Rule.ID, p.Rule.Name)
		f.Detail = strings.TrimSpace(stopped + "\n" + f.Detail)
		// The input may know what made the value here unknown: say that,
		// and how to supply it, rather than guess.
		if u, ok := p.Config.Unknowns[f.Range]; ok && u.Why != "" {
			f.Detail += "\nIt is unknown because " + u.Why + "."
			if u.Hint != "" {
				f.Fix = u.Hint
			}
		}
	}
	place(p.Config, &f)
	f.Module = p.Config.ModuleOf(f.Key)
	f.FitHeadline()
	f.Related = dedupeRelated(f.Related)
	p.report(f)
}

// MaxHeadline is the most characters a finding's Message may have: the
// headline fits on one line of a terminal, an annotation's title bar and
// a code-scanning alert list.
const MaxHeadline = 159

// truncated ends a headline that FitHeadline had to cut.
const truncated = " …"

// FitHeadline keeps Message a headline: one line of at most MaxHeadline
// characters. Names too long for one (CDK's logical IDs, addresses deep in
// modules) are cut to their last part: "…ServiceD69D759B". Past that, a
// longer or multi-line message is a rule's mistake; rather than print it,
// FitHeadline cuts it at a word and ends it with " …", and the whole
// message leads the Detail. Tests of the rules make sure that no
// fixture's finding needs that (see Truncated).
func (f *Finding) FitHeadline() {
	msg := f.Message
	if utf8.RuneCountInString(msg) <= MaxHeadline && !strings.ContainsAny(msg, "\r\n") {
		return
	}
	if short := shortenNames(msg); utf8.RuneCountInString(short) <= MaxHeadline && !strings.ContainsAny(short, "\r\n") {
		f.Message = short
		return
	}
	line := strings.Join(strings.Fields(msg), " ")
	r := []rune(line)
	cut := MaxHeadline - utf8.RuneCountInString(truncated)
	if len(r) > cut {
		r = r[:cut]
		if i := strings.LastIndexByte(string(r), ' '); i > cut/2 {
			r = []rune(string(r)[:i])
		}
	}
	f.Message = string(r) + truncated
	f.Detail = strings.TrimSpace(msg + "\n" + f.Detail)
}

// longName is a dotted name of more than 40 characters, as it stands in a
// message (quotes and brackets included).
var longName = regexp.MustCompile(`[A-Za-z0-9_\-"\[\]]+(?:\.[A-Za-z0-9_\-"\[\]]+)+`)

// shortenNames cuts each dotted name of more than 40 characters to its
// last part, or its last two when the part before names a Terraform type:
// module.a.module.b.aws_ecs_service.app becomes …aws_ecs_service.app.
func shortenNames(s string) string {
	return longName.ReplaceAllStringFunc(s, func(n string) string {
		if len(n) <= 40 {
			return n
		}
		parts := strings.Split(n, ".")
		keep := parts[len(parts)-1:]
		if len(parts) >= 2 && strings.Contains(parts[len(parts)-2], "_") {
			keep = parts[len(parts)-2:]
		}
		return "…" + strings.Join(keep, ".")
	})
}

// Truncated reports whether FitHeadline had to cut the headline.
func (f *Finding) Truncated() bool { return strings.HasSuffix(f.Message, truncated) }

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
// a note of UnverifiedInput (CP001), shown only with --show-unverified,
// that names the rule, says which fact was missing (what, a short clause:
// "the route table of aws_subnet.a is unknown") and how to supply it (how:
// "run terraform init", "pass --account-id", "scan the folder that
// defines the role too"). key names the object that could not be fully
// checked. A note with more to say is a Finding with Unverified set and a
// Detail, given to Report.
func (p *Pass) Unverified(r hcl.Range, key, what, how string) {
	p.Report(Finding{
		Range:      r,
		Key:        key,
		Message:    what,
		Fix:        how,
		Unverified: true,
	})
}

// Finding is one problem found by a rule.
type Finding struct {
	RuleID   string
	RuleName string
	Severity Severity
	// Message is the headline: what is wrong and where, in one line of at
	// most MaxHeadline characters.
	Message string
	// Detail is the body: what AWS will print, the path the rule followed
	// and why it fails, in plain sentences; a line break starts a new
	// paragraph. Code and AWS's error texts go in backquotes.
	Detail string
	// Fix says how to fix it, in one line. Code goes in backquotes, and
	// code shown for a Terraform file is HCL that parses (the fixture
	// tests check it): `assign_public_ip = true`.
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
	// StoppedRule is, on such a note from a rule, the ID of the rule that
	// had to stop ("CP203"); "" on the loader's own notes and on findings.
	StoppedRule string
	// Suppression is set on a finding that an ignore comment or the
	// configuration file silenced; drivers report such findings apart.
	Suppression *Suppression
	// Module is the address of the Terraform module instance that holds
	// what the finding is about ("module.app[\"a\"]"), "" for the root
	// module and outside Terraform: instances of one module report the
	// same problem in the code they share, and the driver merges them.
	Module string
	// Merged are the other module instances whose same finding the driver
	// merged into this one, with their keys: the baseline knows each
	// instance's finding by its key.
	Merged []Instance
	// Roots are the folders of the configurations (Terraform root modules)
	// whose check reported the finding, set by the driver: a module that
	// several roots call is checked once per root, and the same finding in
	// it holds for each of them.
	Roots []string
	// Edits, when set, fix the finding: --fix applies all of them or none.
	// A rule offers them only where the fix is safe and local (see package
	// lint/edit); they are made before the finding is placed, so they
	// name the file that holds the text to change.
	Edits []Edit
	// NoEdits says why the rule offers no edit here although it fixes
	// other findings of its kind ("assign_public_ip is written as
	// var.public, not as false"), for --fix to tell the user.
	NoEdits string
}

// Instance is one module instance's finding merged into another (see
// Finding.Merged).
type Instance struct {
	Module string
	Key    string
}

// Edit is one machine-applicable change of a source file: the bytes from
// Range.Start.Byte to Range.End.Byte of Range.Filename become NewText. An
// insertion has an empty range. Range's lines and columns are those of
// the text it replaces, for messages.
type Edit struct {
	Range   hcl.Range
	NewText string
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
