package rules

import (
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

// taskAccount is the account the task runs in: the account of the task
// definition's provider (its allowed_account_ids or assume_role role ARN,
// else --account-id), else --account-id, else the account in its role
// ARNs. "" when none says.
func taskAccount(pass *lint.Pass, td *model.TaskDefinition) string {
	if td.Account.Known && td.Account.V != "" {
		return td.Account.V
	}
	if pass.AccountID != "" {
		return pass.AccountID
	}
	for _, r := range []model.Ref{td.ExecutionRole, td.TaskRole} {
		if role, ok := model.Resolve[*model.Role](pass.Config, r); ok && role.Account.Known {
			return role.Account.V
		}
		if a := accountOf(r.Value); a != "" {
			return a
		}
	}
	return ""
}

// ecrPolicies gathers the resource-based policies that apply to pulls from
// an image's repository: the repository's own policies (when the
// repository is in a scanned configuration) and the registry policies of
// its account. known is false when some may be missing or unreadable:
// the repository is not in the configuration, a document is unknown, a
// registry policy's account is unknown.
func ecrPolicies(pass *lint.Pass, p pulled) (policies []*iam.Policy, related []lint.Related, repo *model.Repository, known bool) {
	repo = p.repo
	if repo == nil {
		repo = findRepository(pass.Scanned, p.info)
	}
	known = repo != nil
	var docs []model.Fact[string]
	var owners []*model.Config
	if repo != nil {
		for _, d := range repo.Policies {
			docs, owners = append(docs, d), append(owners, configOf(pass.Scanned, repo))
		}
		related = append(related, lint.Related{Range: repo.Range, Message: "repository " + repo.Addr})
	}
	for _, c := range pass.Scanned {
		for _, rp := range c.RegistryPolicies {
			switch {
			case !rp.Account.Known || p.info.Account == "":
				known = false
			case rp.Account.V == p.info.Account && (!rp.Region.Known || p.info.Region == "" || rp.Region.V == p.info.Region):
				docs, owners = append(docs, rp.Document), append(owners, c)
				related = append(related, lint.Related{Range: rp.Range, Message: "registry policy " + rp.Addr})
			}
		}
		if c.MayLack(model.KindPolicy) {
			known = false
		}
	}
	for i, d := range docs {
		pol, ok := parsePolicy(owners[i], d)
		if !ok {
			known = false
			continue
		}
		policies = append(policies, pol)
	}
	return policies, related, repo, known
}

// configOf is the scanned configuration that holds an object.
func configOf(scanned []*model.Config, o model.Object) *model.Config {
	addr := model.MetaOf(o).Addr
	for _, c := range scanned {
		if c.Lookup(addr) == o {
			return c
		}
	}
	return &model.Config{}
}

// repositoryARN is the ARN of an image's repository, as far as it is known.
func repositoryARN(cfg *model.Config, p pulled) string {
	if p.info.Account != "" && p.info.Region != "" && p.info.Repository != "" {
		return "arn:" + awsPartition(p.info.Region) + ":ecr:" + p.info.Region + ":" + p.info.Account + ":repository/" + p.info.Repository
	}
	if p.repo != nil {
		return expandTokens(cfg, model.Token(p.repo.Addr, "arn"))
	}
	return ""
}

// privatePulls lists the containers that provably pull from private ECR,
// one per repository.
func privatePulls(cfg *model.Config, td *model.TaskDefinition) ([]pulled, []*model.Container) {
	var out []pulled
	var cs []*model.Container
	seen := map[string]bool{}
	for _, c := range td.Containers {
		p := imageOf(cfg, c)
		if !p.known || p.info.Kind != image.PrivateECR {
			continue
		}
		key := p.info.Account + "/" + p.info.Region + "/" + p.info.Repository
		if p.repo != nil {
			key = p.repo.Addr
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		out, cs = append(out, p), append(cs, c)
	}
	return out, cs
}

// pullsWithExecutionRole reports whether ECS provably uses the execution
// role to pull the task's images and set up awslogs: on Fargate and on
// external instances it does; on EC2 the container instance's role may do
// it instead. So the task definition must be for Fargate or EXTERNAL only,
// or a service of the configuration must run it on Fargate.
func pullsWithExecutionRole(cfg *model.Config, td *model.TaskDefinition) bool {
	if rc := td.RequiresCompatibilities; rc.Known && len(rc.V) > 0 {
		only := true
		for _, c := range rc.V {
			if !strings.EqualFold(c, "FARGATE") && !strings.EqualFold(c, "EXTERNAL") {
				only = false
			}
		}
		if only {
			return true
		}
	}
	for _, s := range servicesOf(cfg, td) {
		if launchOf(cfg, s) == launchFargate {
			return true
		}
	}
	return false
}
