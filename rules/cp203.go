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
	for _, s := range pass.Config.Services {
		failing := groupExits(exits(pass.Config, s), exitNoPublicIP)
		if len(failing) == 0 {
			continue
		}
		var related []lint.Related
		for _, se := range failing {
			end := "0.0.0.0/0 → internet gateway, no public IP"
			if se.target != nil {
				end = "0.0.0.0/0 → " + model.MetaOf(se.target).Addr + ", no public IP"
			}
			related = append(related, pathRelated(se, end)...)
		}
		ip := s.Network.AssignPublicIP
		how := "is false"
		if !ip.Set {
			how = "is left out (the default is false)"
		}
		field, fix := "assign_public_ip", "set assign_public_ip = true in network_configuration, or run the service in private subnets whose route table sends 0.0.0.0/0 to a NAT gateway"
		if pass.Config.Source == model.SourceJSON {
			field, fix = "assignPublicIp", `set "assignPublicIp": "ENABLED" in awsvpcConfiguration, or use private subnets with a NAT gateway`
		}
		names := subnetNames(failing)
		pass.Report(lint.Finding{
			Range: ip.Range,
			Key:   s.Addr,
			Message: fmt.Sprintf("service %s runs on Fargate in %s %s, whose only way out is an internet gateway, but %s %s: without a public IP the task's traffic cannot use the internet gateway, so it never reaches the registry and stops with `CannotPullContainerError: ... dial tcp ...:443: i/o timeout` or `ResourceInitializationError: unable to pull secrets or registry auth`.",
				name(s), plural(len(names), "subnet", "subnets"), joinNames(names), field, how),
			Fix:     fix,
			Related: related,
		})
	}
}
