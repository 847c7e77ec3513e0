package terraform

import (
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var roleTypes = []string{"aws_iam_role"}

// iam reads roles and policies, and attaches to each role every policy that
// the configuration gives it, wherever it is written.
func (b *builder) iam() {
	roles := map[string]*model.Role{}
	for _, ri := range b.byType["aws_iam_role"] {
		eb := ri.block
		r := &model.Role{
			Meta:             b.meta(ri),
			Name:             eb.str("name", ""),
			AssumeRolePolicy: eb.str("assume_role_policy", ""),
			Attached:         b.refs(eb, "managed_policy_arns", "aws_iam_policy"),
			PoliciesKnown:    true,
		}
		if !r.Name.Set {
			r.Name = model.Fact[string]{Range: eb.defRange} // AWS picks a name
		}
		if r.Name.Known && r.Account.Known && r.Name.V != "" {
			path := eb.str("path", "/")
			if path.Known {
				r.ARN = model.Fact[string]{V: "arn:aws:iam::" + r.Account.V + ":role" + path.V + r.Name.V, Known: true, Range: r.Name.Range}
			}
		}
		blocks, known := eb.nested("inline_policy")
		r.PoliciesKnown = known && r.Attached.AllKnown()
		for _, ib := range blocks {
			r.InlinePolicies = append(r.InlinePolicies, ib.str("policy", ""))
		}
		roles[ri.addr] = r
		b.cfg.Add(r)
	}
	for _, ri := range b.byType["aws_iam_policy"] {
		eb := ri.block
		b.cfg.Add(&model.Policy{Meta: b.meta(ri), Name: eb.str("name", ""), Document: eb.str("policy", "")})
	}
	// Policies given to roles by other resources. One whose role is unknown
	// could be any role's.
	unknown := b.unknownTypes["aws_iam_role_policy"] || b.unknownTypes["aws_iam_role_policy_attachment"] ||
		b.unknownTypes["aws_iam_policy_attachment"]
	for _, ri := range b.byType["aws_iam_role_policy"] {
		rr := b.ref(ri.block.attrs["role"], roleTypes...)
		if r := roles[rr.Addr]; r != nil {
			r.InlinePolicies = append(r.InlinePolicies, ri.block.str("policy", ""))
		} else if !rr.Known {
			unknown = true
		}
	}
	for _, ri := range b.byType["aws_iam_role_policy_attachment"] {
		rr := b.ref(ri.block.attrs["role"], roleTypes...)
		if r := roles[rr.Addr]; r != nil {
			r.Attached.Items = append(r.Attached.Items, b.ref(ri.block.attrs["policy_arn"], "aws_iam_policy"))
			r.PoliciesKnown = r.PoliciesKnown && r.Attached.AllKnown()
		} else if !rr.Known {
			unknown = true
		}
	}
	for _, ri := range b.byType["aws_iam_policy_attachment"] {
		rs := b.refs(ri.block, "roles", roleTypes...)
		if !rs.Known {
			unknown = true
			continue
		}
		for _, rr := range rs.Items {
			if r := roles[rr.Addr]; r != nil {
				r.Attached.Items = append(r.Attached.Items, b.ref(ri.block.attrs["policy_arn"], "aws_iam_policy"))
				r.PoliciesKnown = r.PoliciesKnown && r.Attached.AllKnown()
			} else if !rr.Known {
				unknown = true
			}
		}
	}
	if unknown {
		for _, r := range roles {
			r.PoliciesKnown = false
		}
	}
}

// ecr reads repositories with their policies, registry policies and pull
// through cache rules.
func (b *builder) ecr() {
	repos := map[string]*model.Repository{}
	for _, ri := range b.byType["aws_ecr_repository"] {
		r := &model.Repository{Meta: b.meta(ri), Name: ri.block.str("name", "")}
		if r.Name.Known && r.Account.Known && r.Region.Known {
			r.URL = model.Fact[string]{V: image.ECRHost(r.Account.V, r.Region.V) + "/" + r.Name.V, Known: true, Range: r.Name.Range}
		}
		repos[ri.addr] = r
		b.cfg.Add(r)
	}
	for _, ri := range b.byType["aws_ecr_repository_policy"] {
		rr := b.ref(ri.block.attrs["repository"], "aws_ecr_repository")
		if r := repos[rr.Addr]; r != nil {
			r.Policies = append(r.Policies, ri.block.str("policy", ""))
		}
	}
	for _, ri := range b.byType["aws_ecr_registry_policy"] {
		b.cfg.Add(&model.RegistryPolicy{Meta: b.meta(ri), Document: ri.block.str("policy", "")})
	}
	for _, ri := range b.byType["aws_ecr_pull_through_cache_rule"] {
		b.cfg.Add(&model.PullThroughCacheRule{
			Meta:     b.meta(ri),
			Prefix:   ri.block.str("ecr_repository_prefix", ""),
			Upstream: ri.block.str("upstream_registry_url", ""),
		})
	}
}

// secrets reads Secrets Manager secrets and SSM parameters.
func (b *builder) secrets() {
	for _, ri := range b.byType["aws_secretsmanager_secret"] {
		eb := ri.block
		b.cfg.Add(&model.Secret{Meta: b.meta(ri), Kind: model.SecretsManagerSecret, Name: eb.str("name", ""),
			KMSKey: b.ref(eb.attrs["kms_key_id"], "aws_kms_key", "aws_kms_alias")})
	}
	for _, ri := range b.byType["aws_ssm_parameter"] {
		eb := ri.block
		b.cfg.Add(&model.Secret{Meta: b.meta(ri), Kind: model.SSMParameter, Name: eb.str("name", ""),
			ParameterType: eb.str("type", ""), KMSKey: b.ref(eb.attrs["key_id"], "aws_kms_key", "aws_kms_alias")})
	}
}
