package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/ecsschema"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var ECRRepositoryUndeclared = register(&lint.Rule{
	ID:        "CP305",
	Name:      "ecr-repository-undeclared",
	Severity:  lint.Warning,
	Precision: "medium",
	Tags:      []string{"ecr"},
	Summary:   "An image names a repository in the private ECR registry that the configuration manages, but none of the repositories it declares.",
	Run:       runECRRepositoryUndeclared,
})

func runECRRepositoryUndeclared(pass *lint.Pass) {
	cfg := pass.Config
	for _, td := range cfg.TaskDefinitions {
		for _, c := range td.Containers {
			if c.ImageRepository.Addr != "" {
				continue // built from a declared repository's URL
			}
			p := imageOf(cfg, c)
			if !p.known || p.info.Kind != image.PrivateECR {
				continue
			}
			checkRepositoryDeclared(pass, td, c, p.info)
		}
	}
}

func checkRepositoryDeclared(pass *lint.Pass, td *model.TaskDefinition, c *model.Container, info image.Info) {
	key := td.Addr + "/" + c.Name.V
	rule, ruleUnknown := cacheRuleFor(pass.Scanned, info)
	if rule != nil {
		checkCachePath(pass, td, c, info, rule)
		return
	}
	if cacheTypo(pass, info) != nil {
		return // a near miss of a pull through cache prefix: CP307's
	}
	// The configuration must itself declare repositories in the image's
	// registry: a task definition alone (ECS JSON) declares none, and in a
	// repository of many root modules the image's repository may be
	// another stack's. Other scanned configurations only add names.
	own := declaredIn([]*model.Config{pass.Config}, info)
	if len(own.repos) == 0 && !own.unknown {
		return
	}
	reg := declaredIn(pass.Scanned, info)
	switch {
	case reg.declared:
		return
	case reg.unknown || ruleUnknown:
		noteUnknown(pass, c.Image.Range, key,
			fmt.Sprintf("whether repository %s is declared in account %s, %s", info.Repository, info.Account, info.Region),
			fmt.Sprintf("A repository's name, account or region in %s, or a pull through cache rule's prefix, is unknown, or a module that may declare more is not on disk.", image.ECRHost(info.Account, info.Region)),
			"give the variables values (--var, --var-file) and run terraform init")
		return
	}
	closest := closestRepository(info.Repository, own.repos)
	detail := fmt.Sprintf("Container %s of %s pulls %s, but the configuration declares no repository %q in %s (account %s, %s); the closest it declares is %q. "+
		"ECS cannot pull from a repository that does not exist.\nThe task stops with `CannotPullContainerError: ... pull access denied for %s, repository does not exist or may require 'docker login'`.",
		containerLabel(td, c), name(td), info.Raw, info.Repository, image.ECRHost(info.Account, info.Region), info.Account, info.Region,
		closest.Name.V, image.ECRHost(info.Account, info.Region)+"/"+info.Repository)
	pass.Report(lint.Finding{
		Range:   c.Image.Range,
		Key:     key,
		Message: fmt.Sprintf("container %s pulls from ECR repository %q, which the configuration does not declare; did you mean %q?", containerLabel(td, c), info.Repository, closest.Name.V),
		Detail:  detail,
		Fix:     fmt.Sprintf("name the declared repository (`%s:TAG`), or build the image from its `repository_url`; if the repository is managed elsewhere, scan that configuration too", image.ECRHost(info.Account, info.Region)+"/"+closest.Name.V),
		Related: []lint.Related{{Range: closest.Name.Range, Message: fmt.Sprintf("repository %q is declared here", closest.Name.V)}},
	})
}

// registryRepos is what the scanned configurations declare in one
// registry (account and region).
type registryRepos struct {
	repos []*model.Repository
	// declared is true when one of them has the image's repository name.
	declared bool
	// unknown is true when a repository may be in the registry with a name
	// canpull cannot read, or when a configuration that manages the
	// registry may declare more than its lists show.
	unknown bool
}

func declaredIn(scanned []*model.Config, info image.Info) registryRepos {
	var reg registryRepos
	for _, cfg := range scanned {
		manages := false
		for _, r := range cfg.Repositories {
			if r.Implicit {
				continue // the CDK's asset repository: made by the bootstrap stack, not declared here
			}
			placeKnown := r.Account.Known && r.Account.V != "" && r.Region.Known && r.Region.V != ""
			if !placeKnown {
				if sameRegistry(r.Meta, info) {
					reg.unknown = true
				}
				continue
			}
			if r.Account.V != info.Account || r.Region.V != info.Region {
				continue
			}
			manages = true
			if !r.Name.Known {
				reg.unknown = true
				continue
			}
			reg.repos = append(reg.repos, r)
			if r.Name.V == info.Repository {
				reg.declared = true
			}
		}
		if manages && cfg.MayLack(model.KindRepository) {
			reg.unknown = true
		}
	}
	return reg
}

// closestRepository is the declared repository whose name is nearest.
func closestRepository(want string, repos []*model.Repository) *model.Repository {
	best, bestD := repos[0], -1
	for _, r := range repos {
		d := ecsschema.Distance(want, r.Name.V)
		if bestD < 0 || d < bestD {
			best, bestD = r, d
		}
	}
	return best
}

// checkCachePath checks an image pulled through a pull through cache rule:
// the cache creates its repositories on first pull, so they need no
// declaration, but Docker Hub's official images must be asked for under
// library/.
func checkCachePath(pass *lint.Pass, td *model.TaskDefinition, c *model.Container, info image.Info, rule *model.PullThroughCacheRule) {
	if !isDockerHubUpstream(rule) || !rule.UpstreamPrefix.Known || rule.UpstreamPrefix.V != "ROOT" {
		return
	}
	path := info.Repository
	if rule.Prefix.V != "ROOT" {
		path = strings.TrimPrefix(path, rule.Prefix.V+"/")
	}
	if strings.Contains(path, "/") {
		return // library/nginx, or an organisation's bitnami/redis
	}
	want := strings.TrimSuffix(info.Repository, path) + "library/" + path
	host := image.ECRHost(info.Account, info.Region)
	pass.Report(lint.Finding{
		Range:   c.Image.Range,
		Key:     td.Addr + "/" + c.Name.V,
		Message: fmt.Sprintf("container %s pulls the Docker Hub image %q through a pull through cache without library/", containerLabel(td, c), path),
		Detail: fmt.Sprintf("Container %s of %s pulls %s through the Docker Hub pull through cache rule %s, but names %q without library/: "+
			"Docker Hub's official images must be asked for as %s, and the cache finds no upstream repository %q.\n"+
			"The task stops with `CannotPullContainerError: ... pull access denied for %s/%s, repository does not exist or may require 'docker login'`.",
			containerLabel(td, c), name(td), info.Raw, rule.Addr, path, host+"/"+want, path, host, info.Repository),
		Fix:     fmt.Sprintf("pull `%s` instead", strings.Replace(info.Raw, info.Repository, want, 1)),
		Related: []lint.Related{{Range: rule.Prefix.Range, Message: "pull through cache rule for Docker Hub"}},
	})
}
