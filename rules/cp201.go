package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
)

var NoEgressPath = register(&lint.Rule{
	ID:       "CP201",
	Name:     "no-egress-path",
	Severity: lint.Error,
	Summary:  "A Fargate service's subnet has no route to the internet and no VPC endpoints for ECR: its tasks cannot reach the registry.",
	Run:      runNoEgressPath,
})

func runNoEgressPath(pass *lint.Pass) {
	for _, s := range pass.Config.Services {
		failing := groupExits(exits(pass.Config, s), exitNone)
		if len(failing) == 0 {
			continue
		}
		var related []lint.Related
		for _, se := range failing {
			related = append(related, pathRelated(se, "no 0.0.0.0/0 route, no ECR endpoint")...)
		}
		names := subnetNames(failing)
		pass.Report(lint.Finding{
			Range: s.Network.Subnets.Range,
			Key:   s.Addr,
			Message: fmt.Sprintf("service %s runs on Fargate in %s %s, whose route table has no default route (0.0.0.0/0) to a NAT gateway or an internet gateway, and the VPC has no VPC endpoints for ECR: the task cannot reach the registry, and stops with `CannotPullContainerError: ... request canceled while waiting for connection` or `ResourceInitializationError: unable to pull secrets or registry auth: ... unable to retrieve ecr registry auth`.",
				name(s), plural(len(names), "subnet", "subnets"), joinNames(names)),
			Fix:     "route 0.0.0.0/0 to a NAT gateway in a public subnet, or add interface VPC endpoints for ecr.api and ecr.dkr (private DNS on) and an S3 gateway endpoint on the subnet's route table",
			Related: related,
		})
	}
}
