package driver

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/model"
)

// After the rules ran: drop what the user left out, apply severity
// overrides and suppressions, count what could not be verified, and sort.

// finish turns the raw findings of a run into res.Findings and
// res.Suppressed, and fills in the counts. objects ties could-not-verify
// notes to what they are about (see attribute); ignores are those the
// inputs read in their files.
func finish(fs []lint.Finding, objects map[string]string, ignores []input.Ignore, opts Options, res *Result) {
	fs = dedupe(fs)
	if !runs(opts, lint.UnverifiedInput) {
		// Turning CP001 off turns off every could-not-verify note.
		fs = keep(fs, func(f lint.Finding) bool { return !f.Unverified })
	}
	if opts.Exclude != nil {
		fs = keep(fs, func(f lint.Finding) bool { return f.Range.Filename == "" || !opts.Exclude(f.Range.Filename) })
	}

	rules := catalog(append(append([]*lint.Rule(nil), lint.Builtins()...), opts.Catalog...))
	if len(opts.Catalog) == 0 {
		rules = append(rules, opts.Rules...)
	}
	ran := map[string]bool{}
	for _, r := range opts.Rules {
		ran[r.ID] = true
	}
	sup := newSuppressor(ignores, rules)
	res.Errors = append(res.Errors, sup.errs...)
	kept, suppressed := sup.suppress(fs)
	if ran[lint.UnusedIgnore.ID] {
		kept = append(kept, sup.unused(ran)...)
	}
	for i := range kept {
		override(&kept[i], opts.Severity)
	}
	for i := range suppressed {
		override(&suppressed[i], opts.Severity)
	}
	kept, external := ignoreByConfig(kept, opts.Ignores)
	suppressed = append(suppressed, external...)

	// Counted before instances merge: each instance's service is one.
	countUnverified(kept, objects, &res.Stats)
	kept, suppressed = mergeInstances(kept), mergeInstances(suppressed)
	for _, f := range kept {
		if f.Unverified {
			res.Stats.UnknownFacts++
		}
	}
	if !opts.ShowUnverified {
		shown := func(f lint.Finding) bool { return !f.Unverified }
		kept, suppressed = keep(kept, shown), keep(suppressed, shown)
	}
	sayRoots(kept)
	sayRoots(suppressed)
	sortFindings(kept)
	sortFindings(suppressed)
	res.Findings, res.Suppressed = kept, suppressed
	res.Stats.Suppressed = len(suppressed)
}

// dedupe drops a finding that repeats an earlier one: a module called with
// for_each is checked once per instance, and a module that several root
// modules call once per root. The one kept lists every root that reported
// it. Findings that differ only by the instance they name are merged later
// (see mergeInstances).
func dedupe(fs []lint.Finding) []lint.Finding {
	index := map[string]int{}
	var out []lint.Finding
	for _, f := range fs {
		id := identity(f)
		if i, ok := index[id]; ok {
			if m := (lint.Instance{Module: f.Module, Key: f.Key}); f.Key != out[i].Key && f.Key != "" && !slices.Contains(out[i].Merged, m) {
				// Text that names no instance: the same finding of
				// another instance, which the baseline knows by its key.
				out[i].Merged = append(out[i].Merged, m)
			}
			for _, r := range f.Roots {
				if !slices.Contains(out[i].Roots, r) {
					out[i].Roots = append(out[i].Roots, r)
				}
			}
			continue
		}
		index[id] = len(out)
		out = append(out, f)
	}
	return out
}

// maxRoots is how many root modules a finding's body names: a module that
// dozens of roots use would otherwise end every finding with a paragraph.
const maxRoots = 10

// sayRoots ends the body of a finding that several root modules reported
// (in a module they share) with the roots it holds for.
func sayRoots(fs []lint.Finding) {
	for i := range fs {
		f := &fs[i]
		if len(f.Roots) < 2 {
			continue
		}
		sort.Strings(f.Roots)
		names := make([]string, len(f.Roots))
		for j, r := range f.Roots {
			names[j] = filepath.ToSlash(r)
		}
		list := model.JoinNames(names, maxRoots)
		if len(names) > maxRoots {
			list += " (the JSON report lists them all)"
		}
		f.Detail = strings.TrimSpace(f.Detail + fmt.Sprintf("\nIt holds for each of the %d root modules (or stacks) that use this code: %s.", len(names), list))
	}
}

// identity is what makes two findings one. It does not change as a finding
// is finished (severity, suppression), so it also keys attribute's objects.
func identity(f lint.Finding) string {
	return fmt.Sprintf("%s|%s|%d|%d|%s|%s", f.RuleID, f.Range.Filename, f.Range.Start.Line, f.Range.Start.Column, f.Message, f.Detail)
}

// runs reports whether rule r is among those the run runs.
func runs(opts Options, r *lint.Rule) bool {
	for _, x := range opts.Rules {
		if x == r {
			return true
		}
	}
	return false
}

func keep(fs []lint.Finding, ok func(lint.Finding) bool) []lint.Finding {
	var out []lint.Finding
	for _, f := range fs {
		if ok(f) {
			out = append(out, f)
		}
	}
	return out
}

// override applies the configuration's severity for the finding's rule.
// A could-not-verify note stays a note: it never proves a failure.
func override(f *lint.Finding, sev map[string]lint.Severity) {
	if s, ok := sev[f.RuleID]; ok && !f.Unverified {
		f.Severity = s
	}
}

// ignoreByConfig moves the findings that a configuration ignore covers out
// of fs, suppressed with kind "external".
func ignoreByConfig(fs []lint.Finding, ignores []Ignore) (kept, suppressed []lint.Finding) {
	for _, f := range fs {
		if ig := matchIgnore(f, ignores); ig != nil {
			f.Suppression = &lint.Suppression{Kind: lint.SuppressedExternal, Justification: ig.Reason, Range: ig.Range}
			suppressed = append(suppressed, f)
			continue
		}
		kept = append(kept, f)
	}
	return kept, suppressed
}

func matchIgnore(f lint.Finding, ignores []Ignore) *Ignore {
	for i := range ignores {
		ig := &ignores[i]
		if len(ig.Rules) > 0 && !contains(ig.Rules, f.RuleID) {
			continue
		}
		if ig.Files == nil || ig.Files(f.Range.Filename) {
			return ig
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// unusedNotes turns the values that nothing takes into notes of
// lint.UndeclaredVariable, when that rule runs: each once.
func unusedNotes(us []input.Missing, opts Options) []lint.Finding {
	if !runs(opts, lint.UndeclaredVariable) {
		return nil
	}
	var out []lint.Finding
	seen := map[hcl.Range]bool{}
	for _, u := range us {
		if seen[u.Range] {
			continue
		}
		seen[u.Range] = true
		f := lint.Finding{
			RuleID: lint.UndeclaredVariable.ID, RuleName: lint.UndeclaredVariable.Name, Severity: lint.Note,
			Range:   u.Range,
			Key:     u.What,
			Message: u.What,
			Detail:  u.Why,
			Fix:     u.Hint,
		}
		f.FitHeadline()
		out = append(out, f)
	}
	return out
}

// missingNotes turns the facts the inputs could not establish into notes
// of lint.UnverifiedInput, when that rule runs.
func missingNotes(ms []input.Missing, opts Options) []lint.Finding {
	if !runs(opts, lint.UnverifiedInput) {
		return nil
	}
	var out []lint.Finding
	for _, m := range ms {
		f := lint.Finding{
			RuleID: lint.UnverifiedInput.ID, RuleName: lint.UnverifiedInput.Name, Severity: lint.Note,
			Range:      m.Range,
			Key:        m.What,
			Message:    "could not verify: " + m.What,
			Detail:     m.Why,
			Fix:        m.Hint,
			Unverified: true,
		}
		f.FitHeadline()
		out = append(out, f)
	}
	return out
}

// attribute ties each could-not-verify note of a configuration to the
// service or task definition its Key names: the object's address, maybe
// followed by "/" and a part of it (a container), or by "|" and a reason.
// objects maps the note's identity to the object, qualified by its
// configuration, or to "" when it is about neither; the first report of a
// note decides, as it is the one dedupe keeps.
func attribute(fs []lint.Finding, cfgIndex int, cfg *model.Config, objects map[string]string) {
	kinds := map[string]string{}
	for _, td := range cfg.TaskDefinitions {
		kinds[td.Addr] = "td"
	}
	for _, s := range cfg.Services {
		kinds[s.Addr] = "svc"
	}
	for _, f := range fs {
		id := identity(f)
		if _, seen := objects[id]; seen || !f.Unverified {
			continue
		}
		objects[id] = ""
		key, _, _ := strings.Cut(f.Key, "|")
		for end := len(key); end > 0; end = strings.LastIndex(key[:end], "/") {
			if kind, ok := kinds[key[:end]]; ok {
				objects[id] = fmt.Sprintf("%s\x00%d\x00%s", kind, cfgIndex, key[:end])
				break
			}
		}
	}
}

// countUnverified counts the services and task definitions that the notes
// saying where a fact was unknown leave not fully verified.
func countUnverified(fs []lint.Finding, objects map[string]string, st *Stats) {
	counted := map[string]bool{}
	for _, f := range fs {
		if !f.Unverified {
			continue
		}
		object := objects[identity(f)]
		if object == "" || counted[object] {
			continue
		}
		counted[object] = true
		if strings.HasPrefix(object, "svc\x00") {
			st.UnverifiedServices++
		} else {
			st.UnverifiedTaskDefinitions++
		}
	}
	st.Unverified = st.UnverifiedServices + st.UnverifiedTaskDefinitions
}

func sortFindings(fs []lint.Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Range.Filename != b.Range.Filename {
			return a.Range.Filename < b.Range.Filename
		}
		if a.Range.Start.Line != b.Range.Start.Line {
			return a.Range.Start.Line < b.Range.Start.Line
		}
		if a.Range.Start.Column != b.Range.Start.Column {
			return a.Range.Start.Column < b.Range.Start.Column
		}
		return a.RuleID < b.RuleID
	})
}
