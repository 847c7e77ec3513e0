package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var DockerHubAnonymous = register(&lint.Rule{
	ID:       "CP301",
	Name:     "dockerhub-anonymous",
	Severity: lint.Warning,
	Summary:  "A container pulls from Docker Hub without credentials: anonymous pulls hit Docker Hub's rate limit and cannot read private images.",
	Run:      runDockerHubAnonymous,
})

func runDockerHubAnonymous(pass *lint.Pass) {
	for _, td := range pass.Config.TaskDefinitions {
		for _, c := range td.Containers {
			if c.HasCredentials {
				continue
			}
			p := imageOf(pass.Config, c)
			if !p.known || p.info.Kind != image.DockerHub {
				continue
			}
			fix := "store Docker Hub credentials in Secrets Manager and set repositoryCredentials.credentialsParameter to the secret's ARN, or pull through an ECR pull-through cache rule for Docker Hub"
			if pass.Config.Source == model.SourceTerraform {
				fix += " (aws_ecr_pull_through_cache_rule)"
			}
			pass.Report(lint.Finding{
				Range: c.Image.Range,
				Key:   td.Addr + "/" + c.Name.V,
				Message: fmt.Sprintf("container %s of %s pulls %s from Docker Hub without credentials: Docker Hub limits anonymous pulls per IP address, and tasks behind a shared NAT gateway or public IPs reach the limit quickly: `CannotPullContainerError: ... toomanyrequests: You have reached your pull rate limit`; a private image fails with `pull access denied`.",
					c.Name.V, name(td), c.Image.V),
				Fix: fix,
			})
		}
	}
}
