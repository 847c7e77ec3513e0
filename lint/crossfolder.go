package lint

import (
	"github.com/canpull/canpull/lint/model"
)

// Facts that cross folders. Each root module is its own configuration, but
// a monorepo often defines a role in one folder and gives it policies in
// another.

// definedRoleNames lists, as quoted strings to look for, the names of the
// roles the loaded configurations define: a skipped folder that mentions
// one may give it a policy.
func definedRoleNames(configs []*model.Config) [][]byte {
	seen := map[string]bool{}
	var out [][]byte
	for _, cfg := range configs {
		if cfg == nil {
			continue
		}
		for _, r := range cfg.Roles {
			if r.Name.Known && r.Name.V != "" && !seen[r.Name.V] {
				seen[r.Name.V] = true
				out = append(out, []byte(`"`+r.Name.V+`"`))
			}
		}
	}
	return out
}

// markForeignGrants records, on each role that another scanned
// configuration gives a policy by name, that its policies are not all
// known: canpull does not merge such grants yet, and a rule must not call
// the role powerless when a folder beside it grants what is missing.
func markForeignGrants(scanned []*model.Config) {
	grants := map[string]model.RoleGrant{}
	for _, cfg := range scanned {
		for _, g := range cfg.RoleGrants {
			if _, ok := grants[g.RoleName]; !ok {
				grants[g.RoleName] = g
			}
		}
	}
	if len(grants) == 0 {
		return
	}
	for _, cfg := range scanned {
		for _, r := range cfg.Roles {
			g, ok := grants[r.Name.V]
			if !ok || !r.Name.Known || !r.PoliciesKnown {
				continue
			}
			r.PoliciesKnown = false
			r.PoliciesGap = model.Gap{What: "the policies that " + g.Addr + " (another folder) gives the role", Range: g.Range}
		}
	}
}
