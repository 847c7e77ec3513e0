package driver

import (
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

// CheckedOf returns the index in Checked of the task definition or service
// that a finding is about, or -1 when it is about neither (a repository
// policy, a loader's note).
func (r *Result) CheckedOf(f lint.Finding) int {
	if k, ok := r.owners[identity(f)]; ok {
		return k
	}
	return -1
}

// recordChecked adds the task definitions and services of a configuration
// to res.Checked, and ties each of its findings to the one its Key names:
// the object's address, maybe followed by "/" and a part of it, or by "|"
// and a reason. The first configuration to report a finding decides.
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
		res.owners = map[string]int{}
	}
	for _, f := range fs {
		id := identity(f)
		if _, seen := res.owners[id]; seen {
			continue
		}
		key, _, _ := strings.Cut(f.Key, "|")
		for end := len(key); end > 0; end = strings.LastIndex(key[:end], "/") {
			if k, ok := index[key[:end]]; ok {
				res.owners[id] = k
				break
			}
		}
	}
}
