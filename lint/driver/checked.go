package driver

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

// Checked is one task definition or service that the rules checked: for
// reports that list what passed as well as what failed (JUnit's test
// cases).
type Checked struct {
	// Kind is "task definition" or "service".
	Kind  string
	Addr  string
	Range hcl.Range
}

// CheckedOf returns the indexes in Checked of the task definitions or
// services that a finding is about: one for each root module that
// reported it and each module instance it stands for (see
// lint.Finding.Merged); none when it is about neither (a repository
// policy, a loader's note).
func (r *Result) CheckedOf(f lint.Finding) []int {
	out := slices.Clone(r.owners[owner(f)])
	for _, m := range f.Merged {
		f.Key = m.Key
		for _, k := range r.owners[owner(f)] {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

// owner is what ties a finding to the object it is about: its rule, place
// and key, which finishing a finding does not change (its body does).
func owner(f lint.Finding) string {
	return fmt.Sprintf("%s|%s|%d|%d|%s", f.RuleID, f.Range.Filename, f.Range.Start.Line, f.Range.Start.Column, f.Key)
}

// recordChecked adds the task definitions and services of a configuration
// to res.Checked, and ties each of its findings to the one its Key names:
// the object's address, maybe followed by "/" and a part of it, or by "|"
// and a reason.
func recordChecked(res *Result, cfg *model.Config, fs []lint.Finding) {
	base := len(res.Checked)
	index := map[string]int{}
	for _, td := range cfg.TaskDefinitions {
		index[td.Addr] = len(res.Checked)
		res.Checked = append(res.Checked, Checked{Kind: "task definition", Addr: td.Addr, Range: td.Range})
	}
	for _, s := range cfg.Services {
		index[s.Addr] = len(res.Checked)
		res.Checked = append(res.Checked, Checked{Kind: "service", Addr: s.Addr, Range: s.Range})
	}
	if len(res.Checked) == base {
		return
	}
	if res.owners == nil {
		res.owners = map[string][]int{}
	}
	for _, f := range fs {
		id := owner(f)
		key, _, _ := strings.Cut(f.Key, "|")
		for end := len(key); end > 0; end = strings.LastIndex(key[:end], "/") {
			if k, ok := index[key[:end]]; ok {
				if !slices.Contains(res.owners[id], k) {
					res.owners[id] = append(res.owners[id], k)
				}
				break
			}
		}
	}
}
