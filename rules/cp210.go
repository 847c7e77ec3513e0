package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var NetworkACLBlocked = register(&lint.Rule{
	ID:        "CP210",
	Name:      "network-acl-blocked",
	Severity:  lint.Error,
	Precision: "high",
	Tags:      []string{"fargate", "ec2", "network-acls"},
	Summary:   "A network ACL on the way out of a Fargate service (or of its EC2 instances) denies the pull: outbound TCP 443, or the replies on the ephemeral ports (network ACLs are stateless).",
	Run:       runNetworkACLBlocked,
})

func runNetworkACLBlocked(pass *lint.Pass) {
	reportNetwork(pass, func(nf *netFinding) netText {
		nd := nf.v.need
		acl, _ := nf.v.objs[0].(*model.NetworkACL)
		return netText{
			headline: fmt.Sprintf("%s %s: %s", nf.o.kind, nf.o.label, nf.v.head),
			detail: fmt.Sprintf("%s %s, and %s.\n\n"+
				"Network ACLs are stateless: each packet is checked on its own, against the rules of its direction in rule number order, "+
				"and the first rule that matches decides; a packet that no rule matches is denied. A connection needs its request (outbound TCP 443) "+
				"and its replies (inbound TCP to the client's ephemeral port: 32768–61000 on Linux, 49152–65535 on Windows, 1024–65535 for a NAT gateway) "+
				"allowed in every subnet it crosses: the task's, and the NAT gateway's or the endpoint's.\n\n"+
				"So %s gets no answer, and the task stops with %s.",
				nf.o.runsIn, nf.subnets(), nf.v.reason, callOf(nd), errorOf(nd)),
			fix: orText(nf.v.fix, "in "+aclName(acl)+", allow outbound TCP 443 to where the image comes from and inbound TCP 1024–65535 (the replies) from it, "+
				"with rule numbers below any rule that denies them"),
		}
	})
}
