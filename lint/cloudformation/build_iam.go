package cloudformation

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

var (
	roleTypes   = []string{"AWS::IAM::Role"}
	policyTypes = []string{"AWS::IAM::ManagedPolicy"}
)

// rolePolicyTypes give roles policies from outside the role: when one of
// them may or may not exist, any role may have policies canpull cannot see.
var rolePolicyTypes = []string{"AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy"}

// iam reads roles and customer managed policies, and gives each role the
// policies that AWS::IAM::Policy, AWS::IAM::ManagedPolicy and
// AWS::IAM::RolePolicy attach to it.
func (b *builder) iam() {
	for _, r := range b.byType["AWS::IAM::ManagedPolicy"] {
		p := b.props(r)
		pol := &model.Policy{Meta: b.meta(r), Name: p.str("ManagedPolicyName", ""), Document: p.doc("PolicyDocument")}
		if !pol.Name.Set {
			pol.Name = model.Fact[string]{Range: r.keyRange} // CloudFormation names it
		}
		pol.ARN = iamARN(pol.Meta, "policy", p.str("Path", "/"), pol.Name)
		b.cfg.Add(pol)
	}
	roles := map[string]*model.Role{}
	var order []*model.Role
	for _, r := range b.byType["AWS::IAM::Role"] {
		role := b.role(r)
		roles[r.addr] = role
		order = append(order, role)
		b.cfg.Add(role)
	}
	b.policies(roles)
	for _, typ := range rolePolicyTypes {
		if b.unknownTypes[typ] {
			for _, r := range order {
				unknownPolicies(r, "whether a "+typ+" with an unknown Condition exists", r.Range)
			}
		}
	}
}

func (b *builder) role(r *resource) *model.Role {
	p := b.props(r)
	role := &model.Role{
		Meta:                b.meta(r),
		Name:                p.str("RoleName", ""),
		AssumeRolePolicy:    p.doc("AssumeRolePolicyDocument"),
		Attached:            b.managedArns(r, p),
		PermissionsBoundary: b.boundary(r, p),
		PoliciesKnown:       true,
	}
	if !role.Name.Set {
		role.Name = model.Fact[string]{Range: r.keyRange} // CloudFormation names it
	}
	role.ARN = iamARN(role.Meta, "role", p.str("Path", "/"), role.Name)
	if !role.Attached.AllKnown() {
		unknownPolicies(role, "the managed policies in ManagedPolicyArns", role.Attached.Range)
	}
	m := p.get("Policies")
	switch {
	case m == nil || m.Value.Kind == jsontree.Null:
	case m.Value.Kind != jsontree.Array:
		unknownPolicies(role, "the inline policies in Policies", memberRange(m))
	default:
		for _, it := range m.Value.Items {
			ip := obj{v: it, def: it.Range}
			if !ip.known() {
				unknownPolicies(role, "an inline policy in Policies", it.Range)
				continue
			}
			role.InlinePolicies = append(role.InlinePolicies, model.InlinePolicy{
				Name: ip.str("PolicyName", ""), Document: ip.doc("PolicyDocument"), Addr: r.addr, Range: it.Range,
			})
		}
	}
	return role
}

// managedArns reads ManagedPolicyArns. An AWS-managed policy's ARN written
// with ${AWS::Partition} names the same policy in every partition, so it is
// read even where the partition is unknown.
func (b *builder) managedArns(r *resource, p obj) model.Refs {
	rs := b.refs(p, "ManagedPolicyArns", b.policyRef)
	if rs.AllKnown() {
		return rs
	}
	raw := resourceProps(r).Get("ManagedPolicyArns")
	if raw == nil {
		return rs
	}
	sym := (&evaluator{l: b.l, st: r.st, symbolic: true}).eval(raw.Value, 0)
	if sym.Kind != jsontree.Array || len(sym.Items) != len(rs.Items) {
		return rs
	}
	for i, it := range sym.Items {
		if rs.Items[i].Known {
			continue
		}
		if s, ok := scalarString(it); ok {
			if arn, ok := anyPartitionManaged(s); ok {
				rs.Items[i] = model.Ref{Value: arn, Known: true, Range: rs.Items[i].Range}
			}
		}
	}
	return rs
}

// anyPartitionManaged reads "arn:${AWS::Partition}:iam::aws:policy/NAME"
// with the partition unknown as the commercial partition's ARN.
func anyPartitionManaged(s string) (string, bool) {
	tok := model.Token(pseudoAddr, "AWS::Partition")
	rest, ok := strings.CutPrefix(s, "arn:"+tok+":iam::aws:policy/")
	if !ok || model.HasToken(rest) {
		return "", false
	}
	return "arn:aws:iam::aws:policy/" + rest, true
}

func (b *builder) boundary(r *resource, p obj) model.Ref {
	m := p.get("PermissionsBoundary")
	if m == nil || m.Value.Kind == jsontree.Null {
		return model.Ref{}
	}
	ref := b.policyRef(m.Value, memberRange(m))
	if ref.Known {
		return ref
	}
	raw := resourceProps(r).Get("PermissionsBoundary")
	if raw == nil {
		return ref
	}
	if s, ok := scalarString((&evaluator{l: b.l, st: r.st, symbolic: true}).eval(raw.Value, 0)); ok {
		if arn, ok := anyPartitionManaged(s); ok {
			return model.Ref{Value: arn, Known: true, Range: ref.Range}
		}
	}
	return ref
}

// policyRef reads a policy ARN: a token of an AWS::IAM::ManagedPolicy of
// the templates, or a literal ARN. An AWS-managed ARN is never taken for a
// customer policy of the same name.
func (b *builder) policyRef(v *jsontree.Value, rng hcl.Range) model.Ref {
	s, ok := scalarString(v)
	if !ok {
		return model.Ref{Range: rng}
	}
	if model.HasToken(s) {
		return b.refString(s, rng, policyTypes...)
	}
	ref := model.Ref{Value: s, Known: true, Range: rng}
	if iam.IsAWSManagedARN(s) {
		return ref
	}
	for _, pol := range b.cfg.Policies {
		if pol.ARN.Known && pol.ARN.V == s {
			ref.Addr = pol.Addr
			return ref
		}
	}
	return ref
}

// iamARN derives the ARN of a role or policy from its account, path and
// name.
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
	part := "aws"
	if m.Region.Known {
		part = model.Partition(m.Region.V)
	}
	return model.Fact[string]{V: "arn:" + part + ":iam::" + m.Account.V + ":" + kind + p + name.V, Known: true, Range: name.Range}
}

// unknownPolicies records that a role may have policies canpull cannot
// see; the first reason is kept.
func unknownPolicies(r *model.Role, what string, rng hcl.Range) {
	if r.PoliciesKnown {
		r.PoliciesKnown = false
		r.PoliciesGap = model.Gap{What: what, Range: rng}
	}
}

// policies gives roles the policies written outside them.
func (b *builder) policies(roles map[string]*model.Role) {
	// rolesOf resolves a Roles list (names) or RoleName. ok is false when
	// it cannot be determined.
	rolesOf := func(r *resource, p obj, key string) (out []*model.Role, ok bool) {
		m := p.get(key)
		if m == nil || m.Value.Kind == jsontree.Null {
			return nil, true
		}
		items := []*jsontree.Value{m.Value}
		if key == "Roles" {
			if m.Value.Kind != jsontree.Array {
				return nil, false
			}
			items = m.Value.Items
		}
		for _, it := range items {
			ref := b.refValue(it, memberRange(m), roleTypes...)
			if !ref.Known {
				return nil, false
			}
			if role := roles[ref.Addr]; role != nil {
				out = append(out, role)
			} else if ref.Value != "" {
				ids := identifiers(ref.Value)
				b.cfg.RoleGrants = append(b.cfg.RoleGrants, model.RoleGrant{RoleName: ids[len(ids)-1], Addr: r.addr, Range: r.keyRange})
			}
		}
		return out, true
	}
	everyRole := func(what string, rng hcl.Range) {
		for _, role := range roles {
			unknownPolicies(role, what, rng)
		}
	}
	for _, typ := range []string{"AWS::IAM::Policy", "AWS::IAM::RolePolicy"} {
		key := "Roles"
		if typ == "AWS::IAM::RolePolicy" {
			key = "RoleName"
		}
		for _, r := range b.byType[typ] {
			p := b.props(r)
			rs, ok := rolesOf(r, p, key)
			if !ok {
				everyRole("the roles of "+r.addr, r.keyRange)
				continue
			}
			for _, role := range rs {
				role.InlinePolicies = append(role.InlinePolicies, model.InlinePolicy{
					Name: p.str("PolicyName", ""), Document: p.doc("PolicyDocument"), Addr: r.addr, Range: r.keyRange,
				})
			}
		}
	}
	for _, r := range b.byType["AWS::IAM::ManagedPolicy"] {
		rs, ok := rolesOf(r, b.props(r), "Roles")
		if !ok {
			everyRole("the roles of "+r.addr, r.keyRange)
			continue
		}
		for _, role := range rs {
			role.Attached.Items = append(role.Attached.Items, model.Ref{Addr: r.addr, Known: true, Range: r.keyRange})
			role.Attached.Set = true
		}
	}
}
