package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
)

var NoEgressPath = register(&lint.Rule{
	ID:        "CP201",
	Name:      "no-egress-path",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "routing"},
	Summary:   "A Fargate service's subnet has no route to the internet and no VPC endpoints for ECR: its tasks cannot reach the registry.",
	Run:       runNoEgressPath,
})

func runNoEgressPath(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		return netText{
			headline: fit(fmt.Sprintf("service %s cannot reach the registry: %s %s no route out and no ECR endpoints",
				name(nf.svc), nf.fewSubnets(), plural(len(nf.paths), "has", "have")),
				fmt.Sprintf("service %s cannot reach the registry: its subnets have no route out and no ECR endpoints", name(nf.svc))),
			detail: fmt.Sprintf("The service runs on Fargate in %s, whose route table has no default route (0.0.0.0/0) to a NAT gateway or an internet gateway, "+
				"and the VPC has no VPC endpoints for ECR: the tasks cannot reach the registry.\n"+
				"They stop with `CannotPullContainerError: ... request canceled while waiting for connection` or "+
				"`ResourceInitializationError: unable to pull secrets or registry auth: ... unable to retrieve ecr registry auth`.",
				nf.subnets()),
			fix: "route 0.0.0.0/0 to a NAT gateway in a public subnet, or add interface VPC endpoints for ecr.api and ecr.dkr (`private_dns_enabled = true`) and an S3 gateway endpoint on the subnets' route table",
		}
	})
}
