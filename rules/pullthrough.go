package rules

import (
	"regexp"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

// Facts about ECR pull through cache that CP106 and CP307 share. An image
// under a pull through cache rule's prefix is pulled from ECR: the first
// pull of an image (and of each new tag) makes ECR fetch it from the
// upstream registry, with the puller's permission to import it
// (ecr:BatchImportUpstreamImage) and, when the repository does not exist
// yet, to create it (ecr:CreateRepository). ECR then creates the
// repository with a matching repository creation template's settings, or
// with none: no repository policy.

// cachedRepository is what canpull knows of the repository a cached image
// lands in.
type cachedRepository struct {
	// declared is the repository, when a scanned configuration declares it.
	declared *model.Repository
	// template is the repository creation template that ECR applies when it
	// creates the repository, if any.
	template *model.RepositoryCreationTemplate
	// unknown says why canpull cannot tell, when it cannot.
	unknown string
}

// cachedRepositoryOf finds where a cached image lands.
func cachedRepositoryOf(scanned []*model.Config, info image.Info) cachedRepository {
	var cr cachedRepository
	if r := findRepository(scanned, info); r != nil {
		cr.declared = r
		return cr
	}
	for _, c := range scanned {
		if c.MayLack(model.KindRepository) || c.MayLack(model.KindCreationTemplate) {
			cr.unknown = "a module that may declare the repository or a repository creation template is not on disk, or a count is unknown"
			return cr
		}
		for _, r := range c.Repositories {
			if !r.Implicit && sameRegistry(r.Meta, info) && (!r.Name.Known || !r.Account.Known) {
				cr.unknown = "repository " + r.Addr + " may be " + info.Repository + " (its name or account is unknown)"
				return cr
			}
		}
	}
	best := -1
	for _, c := range scanned {
		for _, t := range c.CreationTemplates {
			if !sameRegistry(t.Meta, info) {
				continue
			}
			if !t.Prefix.Known || !t.AppliedFor.Known {
				cr.unknown = "the prefix or applied_for of repository creation template " + t.Addr + " is unknown"
				return cr
			}
			if !containsFold(t.AppliedFor.V, "PULL_THROUGH_CACHE") {
				continue
			}
			n := prefixMatch(t.Prefix.V, info.Repository)
			if n > best {
				best, cr.template = n, t
			}
		}
	}
	return cr
}

// prefixMatch says how well a prefix covers a repository name: -1 when it
// does not, 0 for ROOT, else the prefix's length.
func prefixMatch(prefix, repo string) int {
	prefix = strings.TrimSuffix(prefix, "/")
	switch {
	case prefix == "ROOT":
		return 0
	case repo == prefix || strings.HasPrefix(repo, prefix+"/"):
		return len(prefix)
	}
	return -1
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// registryPolicies gathers the registry policy of an image's registry:
// a registry has one, so when a scanned configuration declares it, it is
// the whole truth. known is false when it may exist where canpull cannot
// see it.
func registryPolicies(pass *lint.Pass, info image.Info) (policies []*iam.Policy, related []lint.Related, known bool) {
	for _, c := range pass.Scanned {
		for _, rp := range c.RegistryPolicies {
			switch {
			case !rp.Account.Known || !rp.Region.Known:
				return nil, nil, false
			case rp.Account.V != info.Account || rp.Region.V != info.Region:
				continue
			}
			pol, ok := parsePolicy(c, rp.Document)
			if !ok {
				return nil, nil, false
			}
			known = true
			policies = append(policies, pol)
			related = append(related, lint.Related{Range: rp.Range, Message: "registry policy " + rp.Addr})
		}
	}
	return policies, related, known
}

// upstreamAuth is how a pull through cache rule's upstream registry wants
// to be authenticated.
type upstreamAuth int

const (
	authNone   upstreamAuth = iota // ECR Public, Kubernetes, Quay
	authSecret                     // Docker Hub, GitHub, GitLab, Azure, Chainguard: a Secrets Manager secret
	authRole                       // another ECR registry: an IAM role when it is another account's
	authOther                      // a registry canpull does not know
)

var ecrUpstreamRE = regexp.MustCompile(`^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)

// upstreamOf classifies an upstream_registry_url, and names the registry
// for messages. For ECR it also returns the upstream's account.
func upstreamOf(url string) (auth upstreamAuth, title, account string) {
	host := strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://"), "/"))
	switch {
	case image.IsDockerHubHost(host):
		return authSecret, "Docker Hub", ""
	case host == "ghcr.io":
		return authSecret, "GitHub Container Registry", ""
	case host == "registry.gitlab.com":
		return authSecret, "GitLab Container Registry", ""
	case strings.HasSuffix(host, ".azurecr.io"):
		return authSecret, "Azure Container Registry", ""
	case host == "cgr.dev":
		return authSecret, "Chainguard Registry", ""
	case host == "public.ecr.aws":
		return authNone, "ECR Public", ""
	case host == "registry.k8s.io":
		return authNone, "the Kubernetes registry", ""
	case host == "quay.io":
		return authNone, "Quay", ""
	}
	if m := ecrUpstreamRE.FindStringSubmatch(host); m != nil {
		return authRole, "ECR registry " + host, m[1]
	}
	return authOther, host, ""
}

// secretPrefix is the name prefix that ECR's service-linked role for
// pull through cache may read secrets under.
const secretPrefix = "ecr-pullthroughcache/"
