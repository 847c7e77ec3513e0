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
	reportNetwork(pass, func(nf *netFinding) (string, string) {
		return fmt.Sprintf("service %s runs on Fargate in %s, whose route table has no default route (0.0.0.0/0) to a NAT gateway or an internet gateway, and the VPC has no VPC endpoints for ECR: the task cannot reach the registry, and stops with `CannotPullContainerError: ... request canceled while waiting for connection` or `ResourceInitializationError: unable to pull secrets or registry auth: ... unable to retrieve ecr registry auth`.",
				name(nf.svc), nf.subnets()),
			"route 0.0.0.0/0 to a NAT gateway in a public subnet, or add interface VPC endpoints for ecr.api and ecr.dkr (private DNS on) and an S3 gateway endpoint on the subnet's route table"
	})
}
