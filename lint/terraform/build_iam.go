package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

var roleTypes = []string{"aws_iam_role"}

// rolePolicyTypes are the resources that give a role policies. When one of
// them has an unknown number of instances, any role may have policies
// canpull cannot see.
var rolePolicyTypes = []string{
	"aws_iam_role_policy", "aws_iam_role_policy_attachment", "aws_iam_policy_attachment",
	"aws_iam_role_policies_exclusive", "aws_iam_role_policy_attachments_exclusive",
}

// iam reads roles and policies, and attaches to each role every policy that
// the configuration gives it, wherever it is written.
func (b *builder) iam() {
	for _, ri := range b.byType["aws_iam_policy"] {
		eb := ri.block
		p := &model.Policy{Meta: b.meta(ri), Name: eb.str("name", ""), Document: eb.str("policy", "")}
		if !p.Name.Set {
			p.Name = model.Fact[string]{Range: eb.defRange} // name_prefix, or AWS picks one
		}
		p.ARN = iamARN(p.Meta, "policy", eb.str("path", "/"), p.Name)
		b.cfg.Add(p)
	}
	roles := map[string]*model.Role{}
	var order []*model.Role
	for _, ri := range b.byType["aws_iam_role"] {
		r := b.role(ri)
		roles[ri.addr] = r
		order = append(order, r)
		b.cfg.Add(r)
	}
	b.rolePolicies(roles)
	b.roleAttachments(roles)
	b.exclusivePolicies(roles)
	for _, typ := range rolePolicyTypes {
		if b.unknownTypes[typ] {
			for _, r := range order {
				unknownPolicies(r, "how many "+typ+" resources there are (count or for_each is unknown)", r.Range)
			}
		}
	}
}

// role reads an aws_iam_role with its own policy arguments.
func (b *builder) role(ri *resInst) *model.Role {
	eb := ri.block
	r := &model.Role{
		Meta:                b.meta(ri),
		Name:                eb.str("name", ""),
		AssumeRolePolicy:    eb.str("assume_role_policy", ""),
		Attached:            b.policyRefs(eb, "managed_policy_arns"),
		PermissionsBoundary: b.policyRef(eb.attrs["permissions_boundary"]),
		PoliciesKnown:       true,
	}
	if !r.Name.Set {
		r.Name = model.Fact[string]{Range: eb.defRange} // name_prefix, or AWS picks one
	}
	r.ARN = iamARN(r.Meta, "role", eb.str("path", "/"), r.Name)
	if !r.Attached.AllKnown() {
		unknownPolicies(r, "the managed policies in managed_policy_arns", r.Attached.Range)
	}
	blocks, known := eb.nested("inline_policy")
	if !known {
		unknownPolicies(r, "how many inline_policy blocks there are", eb.defRange)
	}
	for _, ib := range blocks {
		if ib.attrs["policy"] == nil && ib.attrs["name"] == nil {
			continue // an empty block: the role has no inline policies
		}
		r.InlinePolicies = append(r.InlinePolicies, model.InlinePolicy{
			Name: ib.str("name", ""), Document: ib.str("policy", ""), Addr: ri.addr, Range: ib.defRange,
		})
	}
	return r
}

// iamARN derives the ARN of a role or policy from its account, path and
// name. IAM is global: the partition comes from the provider's region.
func iamARN(m model.Meta, kind string, path, name model.Fact[string]) model.Fact[string] {
	if !name.Known || name.V == "" || !path.Known || !m.Account.Known {
		return model.Fact[string]{Range: name.Range}
	}
	p := path.V
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	arn := "arn:" + partition(m.Region) + ":iam::" + m.Account.V + ":" + kind + p + name.V
	return model.Fact[string]{V: arn, Known: true, Range: name.Range}
}

// partition is the AWS partition of a region; the commercial one when the
// region is unknown.
func partition(region model.Fact[string]) string {
	if !region.Known {
		return "aws"
	}
	return model.Partition(region.V)
}

// unknownPolicies records that a role may have policies canpull cannot
// see; the first reason is kept.
func unknownPolicies(r *model.Role, what string, rng hcl.Range) {
	if r.PoliciesKnown {
		r.PoliciesKnown = false
		r.PoliciesGap = model.Gap{What: what, Range: rng}
	}
}

// roleOf resolves a role argument (a name or an ARN). ok is false when the
// role cannot be determined; r is nil when it is a role outside the
// configuration, and the grant is then recorded for the engine to match
// against the roles of other folders.
func (b *builder) roleOf(roles map[string]*model.Role, a *evalAttr, ri *resInst) (r *model.Role, ok bool) {
	ref := b.ref(a, roleTypes...)
	if !ref.Known {
		return nil, false
	}
	r = roles[ref.Addr]
	if r == nil && ref.Value != "" {
		ids := identifiers(ref.Value)
		b.cfg.RoleGrants = append(b.cfg.RoleGrants, model.RoleGrant{RoleName: ids[len(ids)-1], Addr: ri.addr, Range: ri.block.defRange})
	}
	return r, true
}

// rolePolicies adds aws_iam_role_policy documents to their roles.
func (b *builder) rolePolicies(roles map[string]*model.Role) {
	for _, ri := range b.byType["aws_iam_role_policy"] {
		r, ok := b.roleOf(roles, ri.block.attrs["role"], ri)
		if !ok {
			b.everyRole(roles, "the role of "+ri.addr, ri.block.rangeOf("role"))
			continue
		}
		if r == nil {
			continue
		}
		name := ri.block.str("name", "")
		if !name.Set {
			name = model.Fact[string]{Range: ri.block.defRange}
		}
		r.InlinePolicies = append(r.InlinePolicies, model.InlinePolicy{
			Name: name, Document: ri.block.str("policy", ""), Addr: ri.addr, Range: ri.block.defRange,
		})
	}
}

// everyRole records an unknown that may concern any role.
func (b *builder) everyRole(roles map[string]*model.Role, what string, rng hcl.Range) {
	for _, r := range roles {
		unknownPolicies(r, what, rng)
	}
}

// roleAttachments adds the managed policies that attachment resources give
// roles.
func (b *builder) roleAttachments(roles map[string]*model.Role) {
	attach := func(r *model.Role, ri *resInst) {
		ref := b.policyRef(ri.block.attrs["policy_arn"])
		r.Attached.Items = append(r.Attached.Items, ref)
		if !ref.Known {
			unknownPolicies(r, "the policy_arn of "+ri.addr, ri.block.rangeOf("policy_arn"))
		}
	}
	for _, ri := range b.byType["aws_iam_role_policy_attachment"] {
		r, ok := b.roleOf(roles, ri.block.attrs["role"], ri)
		switch {
		case !ok:
			b.everyRole(roles, "the role of "+ri.addr, ri.block.rangeOf("role"))
		case r != nil:
			attach(r, ri)
		}
	}
	for _, ri := range b.byType["aws_iam_policy_attachment"] {
		rs := b.refs(ri.block, "roles", roleTypes...)
		if !rs.Known {
			b.everyRole(roles, "the roles of "+ri.addr, ri.block.rangeOf("roles"))
			continue
		}
		for _, rr := range rs.Items {
			switch r := roles[rr.Addr]; {
			case !rr.Known:
				b.everyRole(roles, "the roles of "+ri.addr, ri.block.rangeOf("roles"))
			case r != nil:
				attach(r, ri)
			case rr.Value != "":
				ids := identifiers(rr.Value)
				b.cfg.RoleGrants = append(b.cfg.RoleGrants, model.RoleGrant{RoleName: ids[len(ids)-1], Addr: ri.addr, Range: ri.block.defRange})
			}
		}
	}
}

// exclusivePolicies applies aws_iam_role_policies_exclusive and
// aws_iam_role_policy_attachments_exclusive: after apply, the role has
// exactly the inline policies and managed policies they list.
func (b *builder) exclusivePolicies(roles map[string]*model.Role) {
	for _, ri := range b.byType["aws_iam_role_policy_attachments_exclusive"] {
		r, ok := b.roleOf(roles, ri.block.attrs["role_name"], ri)
		switch {
		case !ok:
			b.everyRole(roles, "the role of "+ri.addr, ri.block.rangeOf("role_name"))
			continue
		case r == nil:
			continue
		}
		r.Attached = b.policyRefs(ri.block, "policy_arns")
		if !r.Attached.AllKnown() {
			unknownPolicies(r, "the policy_arns of "+ri.addr, ri.block.rangeOf("policy_arns"))
		}
	}
	for _, ri := range b.byType["aws_iam_role_policies_exclusive"] {
		r, ok := b.roleOf(roles, ri.block.attrs["role_name"], ri)
		switch {
		case !ok:
			b.everyRole(roles, "the role of "+ri.addr, ri.block.rangeOf("role_name"))
			continue
		case r == nil:
			continue
		}
		names := ri.block.strings("policy_names")
		if !names.Known {
			unknownPolicies(r, "the policy_names of "+ri.addr, names.Range)
			continue
		}
		keep := r.InlinePolicies[:0:0]
		for _, ip := range r.InlinePolicies {
			if !ip.Name.Known {
				unknownPolicies(r, "whether "+ri.addr+" keeps the inline policy "+ip.Addr, ip.Range)
				keep = append(keep, ip)
			} else if contains(names.V, ip.Name.V) {
				keep = append(keep, ip)
			}
		}
		r.InlinePolicies = keep
		for _, n := range names.V {
			if !hasInline(keep, n) {
				unknownPolicies(r, "the inline policy "+n+" that "+ri.addr+" names (it is not in the configuration)", names.Range)
			}
		}
	}
}

func hasInline(ps []model.InlinePolicy, name string) bool {
	for _, p := range ps {
		if p.Name.Known && p.Name.V == name {
			return true
		}
	}
	return false
}

// policyRefs reads a list of policy ARNs.
func (b *builder) policyRefs(eb *evalBlock, name string) model.Refs {
	rs := b.refs(eb, name, "aws_iam_policy")
	for i, r := range rs.Items {
		if r.Known && r.Value != "" {
			rs.Items[i] = b.policyRefString(r.Value, r.Range)
		}
	}
	return rs
}

// policyRef reads a policy ARN: a reference to an aws_iam_policy of the
// configuration, or a literal ARN. An AWS-managed ARN is never taken for a
// customer policy of the same name.
func (b *builder) policyRef(a *evalAttr) model.Ref {
	if a == nil {
		return model.Ref{}
	}
	s, ok := knownString(a.val)
	if !ok {
		if a.val.IsKnown() && a.val.IsNull() {
			return model.Ref{}
		}
		return model.Ref{Range: a.rng}
	}
	return b.policyRefString(s, a.rng)
}

func (b *builder) policyRefString(s string, rng hcl.Range) model.Ref {
	if model.HasToken(s) {
		return b.refString(s, rng, "aws_iam_policy")
	}
	r := model.Ref{Value: s, Known: true, Range: rng}
	if iam.IsAWSManagedARN(s) {
		return r
	}
	for _, p := range b.cfg.Policies {
		if p.ARN.Known && p.ARN.V == s {
			r.Addr = p.Addr
			return r
		}
	}
	return r
}
