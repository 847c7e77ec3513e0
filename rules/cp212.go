package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
)

var IPv6OnlyRegistry = register(&lint.Rule{
	ID:        "CP212",
	Name:      "ipv6-only-registry",
	Severity:  lint.Error,
	Precision: "high",
	Tags:      []string{"fargate", "ec2", "ipv6"},
	Summary:   "A Fargate service (or the EC2 instances that pull its images) in an IPv6-only subnet pulls from ECR's standard name, which has IPv4 addresses only, and the subnet has no DNS64 + NAT64 path.",
	Run:       runIPv6OnlyRegistry,
})

func runIPv6OnlyRegistry(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		nd := nf.v.need
		host := orText(nd.image.Host, "ACCOUNT.dkr.ecr.REGION.amazonaws.com")
		dual := dualStackHost(host)
		var b strings.Builder
		fmt.Fprintf(&b, "%s the IPv6-only %s, which gives IPv6 addresses only. %s pulls from %s, "+
			"ECR's standard name, which has IPv4 addresses only; ECR answers over IPv6 on its dual-stack name, %s, and AWS PrivateLink does not carry "+
			"that name. The subnet has no way to IPv4 addresses either: %s. DNS64 (enable_dns64 on the subnet, with the VPC resolver) and NAT64 "+
			"(a route for 64:ff9b::/96 to a public NAT gateway) would give it one.",
			nf.o.runsIn, nf.subnets(), capitalize(nd.what), host, dual, nf.v.reason)
		if nf.v.alt != "" {
			fmt.Fprintf(&b, " The VPC endpoints do not serve it either: %s.", nf.v.alt)
		}
		fmt.Fprintf(&b, "\n\nSo %s fails, and the task stops with `CannotPullContainerError: ... failed to do request: Head \"https://%s/v2/...\": dial tcp ...:443: connect: network is unreachable`.",
			callOf(nd), host)
		return netText{
			headline: fmt.Sprintf("%s %s in an IPv6-only subnet pulls from %s, which has no IPv6 address", nf.o.kind, nf.o.label, host),
			detail:   b.String(),
			fix:      "pull from the dual-stack name " + dual + " instead, or set `enable_dns64 = true` on the subnet and route 64:ff9b::/96 to a public NAT gateway",
		}
	})
}

// dualStackHost is the dual-stack name of an ECR registry host:
// ACCOUNT.dkr.ecr.REGION.amazonaws.com becomes ACCOUNT.dkr-ecr.REGION.on.aws.
func dualStackHost(host string) string {
	account, rest, ok := strings.Cut(host, ".dkr.ecr.")
	region, _, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 {
		return "ACCOUNT.dkr-ecr.REGION.on.aws"
	}
	return account + ".dkr-ecr." + region + ".on.aws"
}
