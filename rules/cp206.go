package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/image"
)

var RegistryUnreachable = register(&lint.Rule{
	ID:        "CP206",
	Name:      "registry-unreachable",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "ec2", "vpc-endpoints", "registry"},
	Summary:   "A Fargate service's (or its EC2 instances') subnets reach the outside only through VPC endpoints, and an image comes from a registry they do not serve: Docker Hub, another registry, or ECR of another region.",
	Run:       runRegistryUnreachable,
})

func runRegistryUnreachable(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		nd := nf.v.need
		in := nd.image
		from := in.Kind.String()
		fix := "copy the image into private ECR of the tasks' region (an ECR pull-through cache rule does it for Docker Hub, ECR Public, Quay and GitHub), or give the subnets a NAT gateway"
		switch {
		case in.Kind == image.PrivateECR && in.DualStack:
			from = "ECR's dual-stack host"
			fix = "use the image's usual ECR host (ACCOUNT.dkr.ecr.REGION.amazonaws.com), which the ecr.dkr endpoint serves, or give the subnets a NAT gateway"
		case in.Kind == image.PrivateECR:
			from = "ECR in " + in.Region
			fix = "replicate the repository into the tasks' region (ECR replication) and pull it from there, or give the subnets a NAT gateway"
		case in.Kind == image.Other:
			from = in.Host
		}
		return netText{
			headline: fmt.Sprintf("%s cannot pull from %s: its subnets reach only VPC endpoints", nf.o.title(), from),
			detail: fmt.Sprintf("%s %s, whose only way out is VPC endpoints, but %s comes from %s: %s. The pull times out.\nThe task stops with %s.",
				nf.o.runsIn, nf.subnets(), nd.what, from, nf.v.reason, errorOf(nd)),
			fix: fix,
		}
	})
}
