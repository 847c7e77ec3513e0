package terraform

import (
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

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
		} else {
			// A policy for a repository this configuration does not define
			// (another folder's, or one named by an unknown value): a pull
			// the model cannot see may be allowed.
			b.cfg.SetIncomplete(model.KindPolicy)
		}
	}
	if b.unknownTypes["aws_ecr_repository_policy"] {
		b.cfg.SetIncomplete(model.KindPolicy)
	}
	for _, ri := range b.byType["aws_ecr_registry_policy"] {
		b.cfg.Add(&model.RegistryPolicy{Meta: b.meta(ri), Document: ri.block.str("policy", "")})
	}
	for _, ri := range b.byType["aws_ecr_pull_through_cache_rule"] {
		b.cfg.Add(&model.PullThroughCacheRule{
			Meta:     b.meta(ri),
			Prefix:   ri.block.str("ecr_repository_prefix", ""),
			Upstream: ri.block.str("upstream_registry_url", ""),
			// Read by the image rules (CP305's library/ check).
			UpstreamPrefix: ri.block.str("upstream_repository_prefix", "ROOT"),
			Credential:     b.secretRef(b.ref(ri.block.attrs["credential_arn"], secretTypes...), true),
			CustomRole:     b.ref(ri.block.attrs["custom_role_arn"], roleTypes...),
		})
	}
	for _, ri := range b.byType["aws_ecr_repository_creation_template"] {
		eb := ri.block
		t := &model.RepositoryCreationTemplate{Meta: b.meta(ri), Prefix: eb.str("prefix", ""), AppliedFor: eb.strings("applied_for")}
		if eb.attrs["repository_policy"] != nil {
			t.RepositoryPolicy = eb.str("repository_policy", "")
		}
		b.cfg.Add(t)
	}
}
