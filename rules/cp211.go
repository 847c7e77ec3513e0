package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var CustomDNSEndpoints = register(&lint.Rule{
	ID:        "CP211",
	Name:      "custom-dns-endpoints",
	Severity:  lint.Warning,
	Precision: "medium",
	Tags:      []string{"fargate", "ec2", "dns", "vpc-endpoints"},
	Summary:   "A Fargate service (or its EC2 instances) reaches ECR only through interface endpoints with private DNS, and the VPC's DHCP options send DNS to other name servers than the VPC resolver.",
	Run:       runCustomDNSEndpoints,
})

func runCustomDNSEndpoints(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		nd := nf.v.need
		set, _ := nf.v.objs[0].(*model.DHCPOptions)
		ep, _ := nf.v.objs[1].(*model.VPCEndpoint)
		return netText{
			headline: fmt.Sprintf("%s %s reaches ECR only through VPC endpoints, but DHCP options %s send DNS elsewhere than the VPC resolver",
				nf.o.kind, nf.o.label, set.Addr),
			detail: fmt.Sprintf("%s %s, whose only way out is VPC endpoints. %s.\n\n"+
				"An interface endpoint with private DNS answers the service's usual name (%s) from a private hosted zone that only the VPC resolver "+
				"(AmazonProvidedDNS: 169.254.169.253, fd00:ec2::253, or the base of the VPC's IPv4 range plus two) answers from. "+
				"Unless the name servers of %s forward these names to the VPC resolver (a Route 53 Resolver inbound endpoint, for servers outside the VPC), "+
				"they answer with the public addresses of %s, which the subnet cannot reach. Then %s times out, and the task stops with %s.",
				nf.o.runsIn, nf.subnets(), capitalize(nf.v.reason), serviceHost(nd), set.Addr, ep.Addr, callOf(nd), errorOf(nd)),
			fix: "add \"AmazonProvidedDNS\" to domain_name_servers of " + set.Addr + ", or make its name servers forward amazonaws.com to the VPC resolver",
		}
	})
}

// serviceHost is the usual host name of the service a need calls.
func serviceHost(nd need) string {
	region := orText(nd.region, "REGION")
	switch nd.service {
	case "ecr.api":
		return "api.ecr." + region + ".amazonaws.com"
	case "ecr.dkr":
		return orText(nd.image.Host, "ACCOUNT.dkr.ecr."+region+".amazonaws.com")
	}
	return nd.service + "." + region + ".amazonaws.com"
}
