package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var NATPathBroken = register(&lint.Rule{
	ID:        "CP209",
	Name:      "nat-path-broken",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "ec2", "nat-gateway"},
	Summary:   "A Fargate service's (or its EC2 instances') subnets send their default route to a NAT gateway that cannot reach the internet: a private NAT gateway, or one whose own subnet has no route to an internet gateway.",
	Run:       runNATPathBroken,
})

func runNATPathBroken(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		nat, _ := nf.v.objs[0].(*model.NATGateway)
		why := "a NAT gateway reaches the internet only through an internet gateway on its own subnet's route table"
		fix := "put the NAT gateway in a public subnet, one whose route table sends 0.0.0.0/0 to an internet gateway"
		if nat.ConnectivityType.V == "private" {
			why = "a private NAT gateway has no public IP address, so it reaches other VPCs and networks but never the internet"
			fix = "remove `connectivity_type = \"private\"` (a public NAT gateway, with an Elastic IP in `allocation_id`, in a public subnet), or route 0.0.0.0/0 to a public NAT gateway"
		}
		detail := fmt.Sprintf("%s %s, whose route table sends 0.0.0.0/0 to NAT gateway %s, %s: %s. The tasks never reach the registry.",
			nf.o.runsIn, nf.subnets(), nat.Addr, nf.v.reason, why)
		if nf.v.alt != "" {
			detail += fmt.Sprintf(" The VPC endpoints do not serve %s instead: %s.", nf.v.need.what, nf.v.alt)
		}
		detail += "\nThe tasks stop with `CannotPullContainerError: ... dial tcp ...:443: i/o timeout` or `ResourceInitializationError: unable to pull secrets or registry auth: ... i/o timeout`."
		cannot := "cannot reach the internet"
		if nat.ConnectivityType.V == "private" {
			cannot = "is private: it never reaches the internet"
		}
		return netText{
			headline: fmt.Sprintf("%s cannot pull: NAT gateway %s %s", nf.o.title(), nat.Addr, cannot),
			detail:   detail,
			fix:      fix,
		}
	})
}
