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
	Tags:      []string{"fargate", "ec2", "public-ip"},
	Summary:   "A Fargate service (or the EC2 instances that pull its images) in a subnet whose only way out is an internet gateway gets no public IP.",
	Run:       runPublicIPDisabled,
})

func runPublicIPDisabled(pass *lint.Pass) {
	json := pass.Config.Source == model.SourceJSON
	reportNetwork(pass, func(nf *netFinding) netText {
		if nf.svc == nil {
			return instancesNoPublicIP(pass, nf)
		}
		ip := nf.svc.Network.AssignPublicIP
		how := "is false"
		if !ip.Set {
			how = "is left out (the default is false)"
		}
		field, fix := "assign_public_ip", "set `assign_public_ip = true` in network_configuration, or run the service in private subnets whose route table sends 0.0.0.0/0 to a NAT gateway"
		if json {
			field, fix = "assignPublicIp", "set `\"assignPublicIp\": \"ENABLED\"` in awsvpcConfiguration, or use private subnets with a NAT gateway"
		}
		detail := fmt.Sprintf("%s %s, whose only way out is an internet gateway, but %s %s. "+
			"Without a public IP the tasks' traffic cannot use the internet gateway, so it never reaches the registry.",
			nf.o.runsIn, nf.subnets(), field, how)
		if nf.v.alt != "" {
			detail += fmt.Sprintf(" The VPC endpoints do not serve %s instead: %s.", nf.v.need.what, nf.v.alt)
		}
		detail += "\nThe tasks stop with `CannotPullContainerError: ... dial tcp ...:443: i/o timeout` or `ResourceInitializationError: unable to pull secrets or registry auth`."
		auto := publicIPFix.fix(pass, ip, nf.svc.Addr)
		return netText{
			auto: &auto,
			headline: fit(fmt.Sprintf("%s gets no public IP, and %s reach%s the registry only through an internet gateway",
				nf.o.title(), nf.fewSubnets(), plural(len(nf.paths), "es", "")),
				fmt.Sprintf("%s gets no public IP, and its subnets reach the registry only through an internet gateway", nf.o.title())),
			detail: detail,
			fix:    fix,
		}
	})
}

// instancesNoPublicIP is CP203 for container instances: their launch
// template gives them no public IP, or leaves it to subnets that give none.
func instancesNoPublicIP(pass *lint.Pass, nf *netFinding) netText {
	var subnets []*model.Subnet
	for _, p := range nf.paths {
		subnets = append(subnets, p.subnet)
	}
	g, _ := pass.Config.Lookup(nf.o.key).(*model.AutoScalingGroup)
	why := "they get no public IP"
	if g != nil {
		why, _ = instanceIPReason(pass.Config, g, subnets)
	}
	detail := fmt.Sprintf("%s %s, whose only way out is an internet gateway, but %s. "+
		"Without a public IP the instances' traffic cannot use the internet gateway, so the container agent never reaches the registry.",
		nf.o.runsIn, nf.subnets(), why)
	if nf.v.alt != "" {
		detail += fmt.Sprintf(" The VPC endpoints do not serve %s instead: %s.", nf.v.need.what, nf.v.alt)
	}
	detail += "\nThe tasks stop with `CannotPullContainerError: ... dial tcp ...:443: i/o timeout`."
	return netText{
		headline: fit(fmt.Sprintf("%s get no public IP, and %s reach%s the registry only through an internet gateway",
			nf.o.title(), nf.fewSubnets(), plural(len(nf.paths), "es", "")),
			fmt.Sprintf("%s get no public IP, and their subnets reach the registry only through an internet gateway", nf.o.title())),
		detail: detail,
		fix:    "set `associate_public_ip_address = true` in the launch template's network_interfaces block, or run the instances in private subnets whose route table sends 0.0.0.0/0 to a NAT gateway",
	}
}

// publicIPFix turns assign_public_ip on: in CloudFormation's and ECS
// JSON's spelling, ENABLED.
var publicIPFix = setTrue{
	tfName: "assign_public_ip", tfBlock: "network_configuration",
	cfnName: "AssignPublicIp", jsonName: "assignPublicIp",
	on: "ENABLED", off: "DISABLED",
}
