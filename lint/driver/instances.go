package driver

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

// A module called with for_each or count, or from several module blocks,
// is checked once per instance, and each instance's finding names its own
// address: a Docker Hub image in a variable's default comes back once for
// every instance. Those findings are one problem at one place, and are
// reported once.

// maxNamed is how many other instances a merged finding's body names.
const maxNamed = 3

// mergeInstances merges the findings that differ only by the module
// instance they are about (lint.Finding.Module): same rule, range,
// severity, fix, suppression and text once each instance's own address is
// taken out. The instance kept is the first by address, so that the text
// and fingerprint do not change from run to run; it lists the others in
// Merged and keeps every related place.
func mergeInstances(fs []lint.Finding) []lint.Finding {
	index := make(map[string]int, len(fs))
	var groups [][]int
	for i := range fs {
		k := sameProblem(&fs[i])
		if g, ok := index[k]; ok {
			groups[g] = append(groups[g], i)
			continue
		}
		index[k] = len(groups)
		groups = append(groups, []int{i})
	}
	if len(groups) == len(fs) && !slices.ContainsFunc(fs, func(f lint.Finding) bool { return len(f.Merged) > 0 }) {
		return fs
	}
	out := make([]lint.Finding, 0, len(groups))
	for _, g := range groups {
		out = append(out, join(fs, g))
	}
	return out
}

// join makes one finding of the findings at g, which mergeInstances found
// alike. The first by address speaks for them; the rest follow in the same
// order.
func join(fs []lint.Finding, g []int) lint.Finding {
	if len(g) == 1 {
		f := fs[g[0]]
		if len(f.Merged) > 0 { // dedupe's
			sayInstances(&f)
		}
		return f
	}
	order := slices.Clone(g)
	slices.SortStableFunc(order, func(a, b int) int { return strings.Compare(fs[a].Module, fs[b].Module) })
	f := fs[order[0]]
	f.Roots = slices.Clone(f.Roots)
	f.Merged = nil
	merged := map[lint.Instance]bool{{Module: f.Module, Key: f.Key}: true}
	addMerged := func(m lint.Instance) {
		if !merged[m] {
			merged[m] = true
			f.Merged = append(f.Merged, m)
		}
	}
	type place struct {
		rng     hcl.Range
		message string
		path    lint.PullPath
	}
	seen := map[place]bool{}
	var related []lint.Related
	for _, i := range order {
		o := &fs[i]
		addMerged(lint.Instance{Module: o.Module, Key: o.Key})
		for _, m := range o.Merged {
			addMerged(m)
		}
		for _, r := range o.Roots {
			if !slices.Contains(f.Roots, r) {
				f.Roots = append(f.Roots, r)
			}
		}
		// Each instance's way to this place (the module block that passes
		// the value) is worth showing; the same place with the same words
		// once.
		for _, r := range o.Related {
			k := place{rng: r.Range, message: r.Message}
			if r.Path != nil {
				k.path = *r.Path
			}
			if !seen[k] {
				seen[k] = true
				related = append(related, r)
			}
		}
	}
	f.Related = related
	sayInstances(&f)
	return f
}

// sameProblem is what mergeInstances compares: everything that is shown
// of a finding but its related places, with the finding's module instance
// taken out of its text.
func sameProblem(f *lint.Finding) string {
	var b strings.Builder
	b.Grow(64 + len(f.Message) + len(f.Detail) + len(f.Fix))
	r := f.Range
	for _, s := range []string{f.RuleID, f.StoppedRule, r.Filename} {
		b.WriteString(s)
		b.WriteByte('|')
	}
	for _, n := range []int{r.Start.Line, r.Start.Column, r.Start.Byte, r.End.Line, r.End.Column, r.End.Byte, int(f.Severity)} {
		b.WriteString(strconv.Itoa(n))
		b.WriteByte('|')
	}
	b.WriteString(strconv.FormatBool(f.Unverified))
	for _, s := range []string{f.Message, f.Detail, f.Fix, f.NoEdits} {
		b.WriteString("\x01")
		b.WriteString(withoutModule(s, f.Module))
	}
	for _, e := range f.Edits {
		fmt.Fprintf(&b, "\x01%s:%d-%d=%s", e.Range.Filename, e.Range.Start.Byte, e.Range.End.Byte, e.NewText)
	}
	if s := f.Suppression; s != nil {
		fmt.Fprintf(&b, "\x01%s|%s|%v", s.Kind, s.Justification, s.Range)
	}
	return b.String()
}

// withoutModule is s with each mention of the module instance addr marked
// out: where the address stands whole, not as part of a longer name
// ("module.a" in "module.a.aws_ecs_service.x", not in "module.a_b" or
// "module.x.module.a").
func withoutModule(s, addr string) string {
	if addr == "" || !strings.Contains(s, addr) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, addr)
		if i < 0 {
			break
		}
		end := i + len(addr)
		whole := (i == 0 || !nameByte(s[i-1]) && s[i-1] != '.') && (end == len(s) || !nameByte(s[end]) && s[end] != '[')
		b.WriteString(s[:i])
		if whole {
			b.WriteString("\x00")
		} else {
			b.WriteString(addr)
		}
		s = s[end:]
	}
	b.WriteString(s)
	return b.String()
}

// nameByte reports whether c may be part of a Terraform name.
func nameByte(c byte) bool {
	return c == '_' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// sayInstances ends the body of a merged finding with the other module
// instances it holds for: a few by name, then how many more.
func sayInstances(f *lint.Finding) {
	var names []string
	for _, m := range f.Merged {
		name := m.Module
		if name == "" {
			name = "the root module"
		}
		if m.Module != f.Module && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return
	}
	slices.Sort(names)
	n := len(names)
	words := model.JoinNames(names, maxNamed)
	other := "another module instance that runs"
	if n > 1 {
		other = fmt.Sprintf("%d other module instances that run", n)
	}
	f.Detail = strings.TrimSpace(f.Detail + fmt.Sprintf("\nIt holds as well for %s this code: %s.", other, words))
}
