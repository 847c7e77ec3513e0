package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var PublicIPDisabled = register(&lint.Rule{
	ID:        "CP203",
	Name:      "public-ip-disabled",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "public-ip"},
	Summary:   "A Fargate service in a subnet whose only way out is an internet gateway does not assign its tasks a public IP.",
	Run:       runPublicIPDisabled,
})

func runPublicIPDisabled(pass *lint.Pass) {
	json := pass.Config.Source == model.SourceJSON
	reportNetwork(pass, func(nf *netFinding) netText {
		ip := nf.svc.Network.AssignPublicIP
		how := "is false"
		if !ip.Set {
			how = "is left out (the default is false)"
		}
		field, fix := "assign_public_ip", "set `assign_public_ip = true` in network_configuration, or run the service in private subnets whose route table sends 0.0.0.0/0 to a NAT gateway"
		if json {
			field, fix = "assignPublicIp", "set `\"assignPublicIp\": \"ENABLED\"` in awsvpcConfiguration, or use private subnets with a NAT gateway"
		}
		detail := fmt.Sprintf("The service runs on Fargate in %s, whose only way out is an internet gateway, but %s %s. "+
			"Without a public IP the tasks' traffic cannot use the internet gateway, so it never reaches the registry.",
			nf.subnets(), field, how)
		if nf.v.alt != "" {
			detail += fmt.Sprintf(" The VPC endpoints do not serve %s instead: %s.", nf.v.need.what, nf.v.alt)
		}
		detail += "\nThe tasks stop with `CannotPullContainerError: ... dial tcp ...:443: i/o timeout` or `ResourceInitializationError: unable to pull secrets or registry auth`."
		return netText{
			headline: fit(fmt.Sprintf("service %s gets no public IP, and %s reach%s the registry only through an internet gateway",
				name(nf.svc), nf.fewSubnets(), plural(len(nf.paths), "es", "")),
				fmt.Sprintf("service %s gets no public IP, and its subnets reach the registry only through an internet gateway", name(nf.svc))),
			detail: detail,
			fix:    fix,
		}
	})
}
