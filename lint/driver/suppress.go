package driver

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/input"
)

// Inline suppression. The inputs find the ignores written in their files
// and say what each covers (see input.Ignore); the driver checks the rules
// they name, silences the findings they cover and reports, as notes of
// lint.UnusedIgnore, those that silence nothing.

// directive is one ignore whose rules are known.
type directive struct {
	*input.Ignore
	rules []*lint.Rule
	// used holds the IDs of the rules it suppressed something of.
	used map[string]bool
}

// suppressor applies the ignores of the inputs to findings.
type suppressor struct {
	files map[string][]*directive
	order []string // file names, sorted, for deterministic output
	errs  hcl.Diagnostics
}

// newSuppressor checks the rules that each ignore names: one that names no
// rule of the catalogue is an error, and silences nothing.
func newSuppressor(ignores []input.Ignore, rules catalog) *suppressor {
	s := &suppressor{files: map[string][]*directive{}}
	for i := range ignores {
		ig := &ignores[i]
		d, err := resolve(ig, rules)
		if err != nil {
			s.errs = append(s.errs, err)
			continue
		}
		name := ig.Range.Filename
		if s.files[name] == nil {
			s.order = append(s.order, name)
		}
		s.files[name] = append(s.files[name], d)
	}
	sort.Strings(s.order)
	return s
}

func resolve(ig *input.Ignore, rules catalog) (*directive, *hcl.Diagnostic) {
	d := &directive{Ignore: ig, used: map[string]bool{}}
	for _, n := range ig.Rules {
		r := rules.lookup(n)
		if r == nil {
			detail := fmt.Sprintf("%q is not a rule%s (see 'canpull rules').", n, rules.suggest(n))
			if !strings.Contains(detail, "did you mean") {
				detail += fmt.Sprintf(" After %s come the rules (IDs or names, comma-separated, or all), then the reason.", ig.Form)
			}
			return nil, input.DirectiveError(ig.Range, "Unknown rule in ignore comment", detail)
		}
		d.rules = append(d.rules, r)
	}
	return d, nil
}

// suppress sorts findings into those that stay and those an ignore
// silences, marking the ignores that were used.
func (s *suppressor) suppress(fs []lint.Finding) (kept, suppressed []lint.Finding) {
	for _, f := range fs {
		if d := s.match(f); d != nil {
			f.Suppression = &lint.Suppression{Kind: lint.SuppressedInSource, Justification: d.Reason, Range: d.Range}
			suppressed = append(suppressed, f)
			continue
		}
		kept = append(kept, f)
	}
	return kept, suppressed
}

// match finds the ignores that cover a finding, credits them all, and
// returns the first.
func (s *suppressor) match(f lint.Finding) *directive {
	var first *directive
	for _, d := range s.files[f.Range.Filename] {
		if !d.names(f.RuleID) || !d.covers(f.Range.Start) {
			continue
		}
		d.used[f.RuleID] = true
		if first == nil {
			first = d
		}
	}
	return first
}

func (d *directive) names(id string) bool {
	if d.All {
		return true
	}
	for _, r := range d.rules {
		if r.ID == id {
			return true
		}
	}
	return false
}

func (d *directive) covers(p hcl.Pos) bool {
	if d.File {
		return true
	}
	for _, r := range d.Covers {
		if within(p, r) {
			return true
		}
	}
	return false
}

// within compares by line and column: finding positions need not carry
// byte offsets.
func within(p hcl.Pos, r hcl.Range) bool {
	after := p.Line > r.Start.Line || p.Line == r.Start.Line && p.Column >= r.Start.Column
	before := p.Line < r.End.Line || p.Line == r.End.Line && p.Column < r.End.Column
	return after && before
}

// unused reports, as notes of lint.UnusedIgnore, each rule an ignore names
// that ran and had nothing suppressed by it. ran tells the rules of this
// run.
func (s *suppressor) unused(ran map[string]bool) []lint.Finding {
	var out []lint.Finding
	for _, name := range s.order {
		for _, d := range s.files[name] {
			out = append(out, d.unusedNotes(ran)...)
		}
	}
	return out
}

func (d *directive) unusedNotes(ran map[string]bool) []lint.Finding {
	kind, where := d.Form, "on this line, the line below it, or in the block or argument below it"
	fix := "delete the comment, or move it onto the finding's line, the line above it, or the line above the resource or module block that holds it"
	if d.File {
		where, fix = "in this file", "delete the comment"
	}
	if kind == "" {
		kind = input.DirectivePrefix + "ignore"
		if d.File {
			kind += "-file"
		}
	}
	if len(d.Covers) == 0 && !d.File {
		where = "below it: a blank line or the end of the file follows it, so it applies to no line"
	}
	if d.Where != "" {
		where = d.Where
	}
	if d.Fix != "" {
		fix = d.Fix
	}
	note := func(what, key string) lint.Finding {
		return lint.Finding{
			RuleID: lint.UnusedIgnore.ID, RuleName: lint.UnusedIgnore.Name, Severity: lint.UnusedIgnore.Severity,
			Range:   d.Range,
			Key:     kind + " " + key,
			Message: fmt.Sprintf("%s suppresses nothing: no %s finding is where it applies", kind+" "+key, what),
			Detail:  fmt.Sprintf("No %s finding was reported %s: the problem it was written for is gone, or the comment is in the wrong place.", what, where),
			Fix:     fix,
		}
	}
	if d.All {
		if len(d.used) == 0 {
			return []lint.Finding{note("canpull", "all")}
		}
		return nil
	}
	var out []lint.Finding
	for _, r := range d.rules {
		if ran[r.ID] && !d.used[r.ID] {
			out = append(out, note(r.ID+" "+r.Name, r.ID))
		}
	}
	return out
}
