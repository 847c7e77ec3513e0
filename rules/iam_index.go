package rules

import (
	"strings"
	"sync"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

// roleIndex finds the roles of all scanned configurations by ARN, and the
// task definitions that use each as their execution role. A run scans
// many configurations and each rule runs once per configuration, so the
// index is built once per run rather than searched again for each task
// definition.
type roleIndex struct {
	byARN map[string]roleAt
	users map[*model.Role][]*model.TaskDefinition
}

type roleAt struct {
	role *model.Role
	cfg  *model.Config
}

// lastIndex keeps the index of the latest run. It holds that run's
// configurations, so the identity of the slice cannot be taken by another
// run's while it is kept.
var lastIndex struct {
	sync.Mutex
	scanned []*model.Config
	ix      *roleIndex
}

// rolesOf returns the role index of a run.
func rolesOf(pass *lint.Pass) *roleIndex {
	scanned := pass.Scanned
	if len(scanned) == 0 {
		scanned = []*model.Config{pass.Config}
	}
	lastIndex.Lock()
	defer lastIndex.Unlock()
	if len(lastIndex.scanned) == len(scanned) && &lastIndex.scanned[0] == &scanned[0] {
		return lastIndex.ix
	}
	ix := &roleIndex{byARN: map[string]roleAt{}, users: map[*model.Role][]*model.TaskDefinition{}}
	for _, c := range scanned {
		for _, r := range c.Roles {
			if r.ARN.Known {
				ix.byARN[arnKey(r.ARN.V)] = roleAt{r, c}
			}
		}
	}
	for _, c := range scanned {
		for _, td := range c.TaskDefinitions {
			if r, _ := ix.find(c, td.ExecutionRole); r != nil {
				ix.users[r] = append(ix.users[r], td)
			}
		}
	}
	lastIndex.scanned, lastIndex.ix = scanned, ix
	return ix
}

// find resolves a role reference: by address within cfg, or by its ARN
// anywhere. It returns nil when the role is not there.
func (ix *roleIndex) find(cfg *model.Config, ref model.Ref) (*model.Role, *model.Config) {
	if r, ok := model.Resolve[*model.Role](cfg, ref); ok {
		return r, cfg
	}
	if ref.Addr != "" || !ref.Known || !strings.HasPrefix(ref.Value, "arn:") {
		return nil, nil
	}
	if at, ok := ix.byARN[arnKey(ref.Value)]; ok {
		return at.role, at.cfg
	}
	return nil, nil
}

// arnKey compares role ARNs: IAM names are case-insensitive, and the
// partition of a role whose region is unknown was guessed.
func arnKey(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) == 3 {
		arn = parts[2]
	}
	return strings.ToLower(arn)
}
