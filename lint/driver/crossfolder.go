package driver

import (
	"strings"

	"github.com/canpull/canpull/lint/model"
)

// Facts that cross configurations. Each root module, template or document
// set is its own configuration, but a monorepo often defines a role in one
// folder and gives it policies in another, and a task definition in ECS
// JSON names by ARN a role that Terraform defines.

// roleNamesToFind lists the names of roles that an input may have skipped
// and should load on demand: those that task definitions name by ARN and
// no loaded configuration defines, then those that are defined (a skipped
// folder may give them a policy).
func roleNamesToFind(configs []*model.Config) []string {
	return append(unresolvedRoles(configs), definedRoleNames(configs)...)
}

// definedRoleNames lists the names of the roles the configurations define.
func definedRoleNames(configs []*model.Config) []string {
	seen := map[string]bool{}
	var out []string
	for _, cfg := range configs {
		for _, r := range cfg.Roles {
			if r.Name.Known && r.Name.V != "" && !seen[r.Name.V] {
				seen[r.Name.V] = true
				out = append(out, r.Name.V)
			}
		}
	}
	return out
}

// unresolvedRoles lists the names of roles that task definitions name by
// ARN and that no configuration defines.
func unresolvedRoles(configs []*model.Config) []string {
	defined := map[string]bool{}
	for _, cfg := range configs {
		for _, r := range cfg.Roles {
			if r.Name.Known {
				defined[r.Name.V] = true
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	for _, cfg := range configs {
		for _, td := range cfg.TaskDefinitions {
			for _, ref := range []model.Ref{td.ExecutionRole, td.TaskRole} {
				name := roleName(ref)
				if name == "" || defined[name] || seen[name] {
					continue
				}
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	return out
}

// roleName is the name in a literal role ARN ("arn:aws:iam::1:role/path/x"
// gives "x"), or "" when the reference is not such a literal.
func roleName(ref model.Ref) string {
	if ref.Addr != "" || !strings.HasPrefix(ref.Value, "arn:") {
		return ""
	}
	parts := strings.SplitN(ref.Value, ":", 6)
	if len(parts) != 6 || !strings.HasPrefix(parts[5], "role/") {
		return ""
	}
	return parts[5][strings.LastIndexByte(parts[5], '/')+1:]
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
