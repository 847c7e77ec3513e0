package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var PublicIPDisabled = register(&lint.Rule{
	ID:       "CP203",
	Name:     "public-ip-disabled",
	Severity: lint.Error,
	Summary:  "A Fargate service in a subnet whose only way out is an internet gateway does not assign its tasks a public IP.",
	Run:      runPublicIPDisabled,
})

func runPublicIPDisabled(pass *lint.Pass) {
	json := pass.Config.Source == model.SourceJSON
	reportNetwork(pass, func(nf *netFinding) (string, string) {
		ip := nf.svc.Network.AssignPublicIP
		how := "is false"
		if !ip.Set {
			how = "is left out (the default is false)"
		}
		field, fix := "assign_public_ip", "set assign_public_ip = true in network_configuration, or run the service in private subnets whose route table sends 0.0.0.0/0 to a NAT gateway"
		if json {
			field, fix = "assignPublicIp", `set "assignPublicIp": "ENABLED" in awsvpcConfiguration, or use private subnets with a NAT gateway`
		}
		msg := fmt.Sprintf("service %s runs on Fargate in %s, whose only way out is an internet gateway, but %s %s: without a public IP the task's traffic cannot use the internet gateway, so it never reaches the registry and stops with `CannotPullContainerError: ... dial tcp ...:443: i/o timeout` or `ResourceInitializationError: unable to pull secrets or registry auth`.",
			name(nf.svc), nf.subnets(), field, how)
		if nf.v.alt != "" {
			msg += fmt.Sprintf(" The VPC endpoints do not serve %s instead: %s.", nf.v.need.what, nf.v.alt)
		}
		return msg, fix
	})
}
