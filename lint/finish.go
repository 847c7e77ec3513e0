package lint

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/terraform"
)

// After the rules ran: drop what the user left out, apply severity
// overrides and suppressions, count what could not be verified, and sort.

// finish turns the raw findings of a run into res.Findings and
// res.Suppressed, and fills in the counts.
func finish(fs []Finding, opts Options, res *Result) {
	fs = dedupe(fs)
	if opts.Exclude != nil {
		fs = keep(fs, func(f Finding) bool { return f.Range.Filename == "" || !opts.Exclude(f.Range.Filename) })
	}

	rules := catalog(append(append([]*Rule(nil), Builtins()...), opts.Catalog...))
	if len(opts.Catalog) == 0 {
		rules = append(rules, opts.Rules...)
	}
	ran := map[string]bool{}
	for _, r := range opts.Rules {
		ran[r.ID] = true
	}
	sup := newSuppressor(res.Sources, rules)
	res.Errors = append(res.Errors, sup.errs...)
	kept, suppressed := sup.suppress(fs)
	if ran[UnusedIgnore.ID] {
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

	countUnverified(kept, &res.Stats)
	if !opts.ShowUnverified {
		shown := func(f Finding) bool { return !f.Unverified }
		kept, suppressed = keep(kept, shown), keep(suppressed, shown)
	}
	sortFindings(kept)
	sortFindings(suppressed)
	res.Findings, res.Suppressed = kept, suppressed
	res.Stats.Suppressed = len(suppressed)
}

// dedupe drops a finding that repeats an earlier one: a module called with
// for_each is checked once per instance.
func dedupe(fs []Finding) []Finding {
	seen := map[string]bool{}
	return keep(fs, func(f Finding) bool {
		id := fmt.Sprintf("%s|%s|%d|%d|%s", f.RuleID, f.Range.Filename, f.Range.Start.Line, f.Range.Start.Column, f.Message)
		if seen[id] {
			return false
		}
		seen[id] = true
		return true
	})
}

func keep(fs []Finding, ok func(Finding) bool) []Finding {
	var out []Finding
	for _, f := range fs {
		if ok(f) {
			out = append(out, f)
		}
	}
	return out
}

// override applies the configuration's severity for the finding's rule.
// A could-not-verify note stays a note: it never proves a failure.
func override(f *Finding, sev map[string]Severity) {
	if s, ok := sev[f.RuleID]; ok && !f.Unverified {
		f.Severity = s
	}
}

// ignoreByConfig moves the findings that a configuration ignore covers out
// of fs, suppressed with kind "external".
func ignoreByConfig(fs []Finding, ignores []Ignore) (kept, suppressed []Finding) {
	for _, f := range fs {
		if ig := matchIgnore(f, ignores); ig != nil {
			f.Suppression = &Suppression{Kind: SuppressedExternal, Justification: ig.Reason, Range: ig.Range}
			suppressed = append(suppressed, f)
			continue
		}
		kept = append(kept, f)
	}
	return kept, suppressed
}

func matchIgnore(f Finding, ignores []Ignore) *Ignore {
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

// missingNotes turns the facts the Terraform loader could not establish
// into notes of UnverifiedInput, when that rule runs.
func missingNotes(ms []terraform.Missing, opts Options) []Finding {
	on := false
	for _, r := range opts.Rules {
		on = on || r == UnverifiedInput
	}
	if !on {
		return nil
	}
	var out []Finding
	for _, m := range ms {
		out = append(out, Finding{
			RuleID: UnverifiedInput.ID, RuleName: UnverifiedInput.Name, Severity: Note,
			Range:      m.Range,
			Key:        m.What,
			Message:    "could not verify: " + m.What,
			Fix:        m.Hint,
			Unverified: true,
		})
	}
	return out
}

// attribute ties each could-not-verify note of a configuration to the
// service or task definition its Key names: the object's address, maybe
// followed by "/" and a part of it (a container), or by "|" and a reason.
func attribute(fs []Finding, cfgIndex int, cfg *model.Config) {
	kinds := map[string]string{}
	for _, td := range cfg.TaskDefinitions {
		kinds[td.Addr] = "td"
	}
	for _, s := range cfg.Services {
		kinds[s.Addr] = "svc"
	}
	for i := range fs {
		if !fs[i].Unverified {
			continue
		}
		key, _, _ := strings.Cut(fs[i].Key, "|")
		for end := len(key); end > 0; end = strings.LastIndex(key[:end], "/") {
			if kind, ok := kinds[key[:end]]; ok {
				fs[i].object = fmt.Sprintf("%s\x00%d\x00%s", kind, cfgIndex, key[:end])
				break
			}
		}
	}
}

// countUnverified counts the notes that say where a fact was unknown, and
// the services and task definitions they leave not fully verified.
func countUnverified(fs []Finding, st *Stats) {
	objects := map[string]bool{}
	for _, f := range fs {
		if !f.Unverified {
			continue
		}
		st.UnknownFacts++
		if f.object == "" || objects[f.object] {
			continue
		}
		objects[f.object] = true
		if strings.HasPrefix(f.object, "svc\x00") {
			st.UnverifiedServices++
		} else {
			st.UnverifiedTaskDefinitions++
		}
	}
	st.Unverified = st.UnverifiedServices + st.UnverifiedTaskDefinitions
}

// excludeInputs drops the inputs that the configuration leaves out.
func excludeInputs(in *inputs, excluded func(string) bool) *inputs {
	out := *in // keeps what discovery learnt besides the lists
	out.modules, out.jsonFiles = nil, nil
	for _, m := range in.modules {
		if !excluded(m.dir) {
			out.modules = append(out.modules, m)
		}
	}
	for _, f := range in.jsonFiles {
		if !excluded(f) && !excluded(filepath.Dir(f)) {
			out.jsonFiles = append(out.jsonFiles, f)
		}
	}
	return &out
}

func sortFindings(fs []Finding) {
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
