package rules

import (
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

// Facts about images that the CP3xx rules share.

// imageRef is what is known of how an image is tagged.
type imageRef struct {
	tag, digest string
	// shown is the image for messages.
	shown string
	known bool
}

// tagOf reads the tag and digest of a container's image. An image built
// from a repository's URL whose account or region is unknown
// ("${aws_ecr_repository.app.repository_url}:latest") still has a known
// tag: what follows the URL.
func tagOf(c *model.Container) imageRef {
	if c.Image.Known {
		info, err := image.Parse(c.Image.V)
		if err != nil {
			return imageRef{}
		}
		return imageRef{tag: info.Tag, digest: info.Digest, shown: c.Image.V, known: true}
	}
	if c.ImageRepository.Addr == "" || !model.HasToken(c.Image.V) {
		return imageRef{}
	}
	ts := model.Tokens(c.Image.V)
	if len(ts) != 1 || ts[0].Start != 0 {
		return imageRef{}
	}
	// What follows the token: ":TAG", "@DIGEST", or the rest of the
	// registry host and the repository's name, then those.
	rest := c.Image.V[ts[0].End:]
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		rest = rest[i+1:]
	}
	r := imageRef{shown: model.Display(c.Image.V), known: true}
	rest, r.digest, _ = strings.Cut(rest, "@")
	_, r.tag, _ = strings.Cut(rest, ":")
	return r
}

// cacheRuleFor returns the pull through cache rule, among the scanned
// configurations, that serves a private ECR image: the rule's registry is
// the image's (where the configuration says), and the image's repository
// starts with the rule's prefix, or the prefix is ROOT. unknown is true
// when a rule might serve it but canpull cannot tell: a prefix it cannot
// read, or a configuration with modules that are not on disk.
func cacheRuleFor(cfgs []*model.Config, info image.Info) (rule *model.PullThroughCacheRule, unknown bool) {
	for _, cfg := range cfgs {
		if cfg.MayLack(model.KindAll) {
			unknown = true
		}
		for _, r := range cfg.PullThroughCacheRules {
			if !sameRegistry(r.Meta, info) {
				continue
			}
			if !r.Prefix.Known {
				unknown = true
				continue
			}
			if r.Prefix.V == "ROOT" || strings.HasPrefix(info.Repository, r.Prefix.V+"/") {
				return r, false
			}
		}
	}
	return nil, unknown
}

// sameRegistry reports whether an object may live in the registry of a
// private ECR image: its account and region are the image's, or unknown.
func sameRegistry(m model.Meta, info image.Info) bool {
	if m.Account.Known && m.Account.V != "" && m.Account.V != info.Account {
		return false
	}
	if m.Region.Known && m.Region.V != "" && m.Region.V != info.Region {
		return false
	}
	return true
}

// isDockerHubUpstream reports whether a cache rule pulls from Docker Hub.
func isDockerHubUpstream(r *model.PullThroughCacheRule) bool {
	return r.Upstream.Known && image.IsDockerHubHost(strings.TrimSuffix(r.Upstream.V, "/"))
}

// dockerHubCacheRule returns a pull through cache rule of the
// configuration whose upstream is Docker Hub and whose prefix is known.
func dockerHubCacheRule(cfg *model.Config) *model.PullThroughCacheRule {
	for _, r := range cfg.PullThroughCacheRules {
		if isDockerHubUpstream(r) && r.Prefix.Known && r.Prefix.V != "" {
			return r
		}
	}
	return nil
}

// unverifiedImage notes a container whose image canpull cannot read: a
// variable without a value, a placeholder a pipeline fills in.
func unverifiedImage(pass *lint.Pass, td *model.TaskDefinition, c *model.Container) {
	how := "give the variables values (--var, --var-file)"
	if pass.Config.Source == model.SourceJSON {
		how = "lint the task definition after the pipeline has filled in the image"
	}
	pass.Unverified(c.Image.Range, td.Addr+"/"+c.Name.V, "the image of container "+containerLabel(td, c)+" of "+name(td)+" is not known before deployment", how)
}
