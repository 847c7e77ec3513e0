package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var DockerHubAnonymous = register(&lint.Rule{
	ID:        "CP301",
	Name:      "dockerhub-anonymous",
	Severity:  lint.Warning,
	Precision: "high",
	Tags:      []string{"docker-hub", "rate-limit"},
	Summary:   "A container pulls from Docker Hub without credentials: anonymous pulls hit Docker Hub's rate limit and cannot read private images.",
	Run:       runDockerHubAnonymous,
})

func runDockerHubAnonymous(pass *lint.Pass) {
	for _, td := range pass.Config.TaskDefinitions {
		for _, c := range td.Containers {
			if c.HasCredentials {
				continue
			}
			p := imageOf(pass.Config, c)
			if !p.known || p.info.Kind != image.DockerHub || builtOnInstances(pass.Config, td, p.info) {
				continue
			}
			fix := "store Docker Hub credentials in Secrets Manager and set `repositoryCredentials.credentialsParameter` to the secret's ARN, or pull through an ECR pull-through cache rule for Docker Hub"
			if pass.Config.Source == model.SourceTerraform {
				fix += " (`aws_ecr_pull_through_cache_rule`)"
			}
			var related []lint.Related
			if rule, via := cachedImage(pass, p.info); rule != nil {
				// The configuration already has a cache for Docker Hub:
				// name the image to pull through it.
				fix = "pull it through the Docker Hub pull through cache rule " + rule.Addr + ": `" + via + "`"
				related = append(related, lint.Related{Range: rule.Prefix.Range, Message: "pull through cache rule for Docker Hub"})
			}
			pass.Report(lint.Finding{
				Range:   c.Image.Range,
				Key:     td.Addr + "/" + c.Name.V,
				Message: fmt.Sprintf("container %s pulls %s from Docker Hub without credentials", containerLabel(td, c), shortImage(c.Image.V)),
				Detail: fmt.Sprintf("Container %s of %s pulls %s from Docker Hub anonymously. Docker Hub limits anonymous pulls per IP address, and tasks behind a shared NAT gateway or public IPs reach the limit quickly.\n"+
					"Tasks then stop with `CannotPullContainerError: ... toomanyrequests: You have reached your pull rate limit`; a private image fails with `pull access denied`.",
					containerLabel(td, c), name(td), c.Image.V),
				Fix:     fix,
				Related: related,
			})
		}
	}
}

// cachedImage returns a Docker Hub pull through cache rule of the scanned
// configurations and the image to pull through it instead of info:
// ACCOUNT.dkr.ecr.REGION.amazonaws.com/PREFIX/library/nginx:1.27. The
// account and region are spelt out when the rule's configuration says.
func cachedImage(pass *lint.Pass, info image.Info) (*model.PullThroughCacheRule, string) {
	for _, cfg := range pass.Scanned {
		rule := dockerHubCacheRule(cfg)
		if rule == nil || !rule.UpstreamPrefix.Known || rule.UpstreamPrefix.V != "ROOT" {
			continue
		}
		host := "ACCOUNT.dkr.ecr.REGION.amazonaws.com"
		if rule.Account.Known && rule.Account.V != "" && rule.Region.Known && rule.Region.V != "" {
			host = image.ECRHost(rule.Account.V, rule.Region.V)
		}
		path := info.Repository // library/nginx for nginx
		if rule.Prefix.V != "ROOT" {
			path = rule.Prefix.V + "/" + path
		}
		ref := host + "/" + path
		if info.Tag != "" {
			ref += ":" + info.Tag
		}
		if info.Digest != "" {
			ref += "@" + info.Digest
		}
		return rule, ref
	}
	return nil, ""
}

// builtOnInstances reports whether the user data of a launch template of
// the configuration builds (or tags) the image on the instance, for a task
// definition that runs on EC2. The agent's pull of such a local name fails
// and, unless ECS_IMAGE_PULL_BEHAVIOR is always, it starts the container
// from the image on the instance: nothing is pulled from Docker Hub.
func builtOnInstances(cfg *model.Config, td *model.TaskDefinition, info image.Info) bool {
	if td.RequiresCompatibilities.Known && !slices.ContainsFunc(td.RequiresCompatibilities.V, func(c string) bool {
		return strings.EqualFold(c, "EC2")
	}) {
		return false
	}
	for _, lt := range cfg.LaunchTemplates {
		ud := readUserData(lt)
		if !ud.known || ud.pullAlways {
			continue
		}
		for _, b := range ud.builds {
			if built, err := image.Parse(b); err == nil && built.String() == info.String() {
				return true
			}
		}
	}
	return false
}
