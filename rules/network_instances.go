package rules

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/model"
)

// On EC2 the container instance pulls the images of the tasks placed on
// it, over its own network: the subnets of its Auto Scaling group
// (vpc_zone_identifier), the security groups and public IP its launch
// template gives it. Each group that EC2 services of the configuration
// provably place tasks on is an origin of its own, whose needs are those of
// every task placed there (ECR's API included: the container agent asks for
// the login token itself). Instances that reach registries through an HTTP
// proxy set in their user data, or whose user data canpull cannot read,
// have a way out canpull does not know.

// instanceOrigins lists the origins of a configuration's container
// instances, in group order.
func instanceOrigins(cfg *model.Config) []*origin {
	byGroup := map[*model.AutoScalingGroup][]*model.Service{}
	var groups []*model.AutoScalingGroup
	for _, s := range cfg.Services {
		for _, g := range placementOf(cfg, s).groups {
			if byGroup[g] == nil {
				groups = append(groups, g)
			}
			byGroup[g] = append(byGroup[g], s)
		}
	}
	var out []*origin
	for _, g := range sortedGroups(groups) {
		out = append(out, groupOrigin(cfg, g, byGroup[g]))
	}
	return out
}

// groupOrigin is the origin of an Auto Scaling group's instances, which
// run the tasks of services.
func groupOrigin(cfg *model.Config, g *model.AutoScalingGroup, services []*model.Service) *origin {
	var names []string
	for _, s := range services {
		names = append(names, name(s))
	}
	o := &origin{
		kind: "instances of", label: g.Addr, key: g.Addr, subnets: g.Subnets,
		runsIn: "The container instances of " + g.Addr + ", which pull the images of " +
			plural(len(names), "service ", "services ") + model.JoinNames(names, 0) + ", run in",
		ipv6InDualStack: maybe,
		clientPorts:     instancePorts(cfg, services),
	}
	o.needs = func(n *network, region string) []need {
		var nl needList
		for _, s := range services {
			td, ok := model.Resolve[*model.TaskDefinition](n.cfg, s.TaskDefinition)
			if !ok {
				nl.add(need{kind: needUnknown, pulled: true, what: "the task definition of " + name(s), at: s.TaskDefinition.Range})
				continue
			}
			n.addTaskNeeds(&nl, td, yes, region)
		}
		return nl.out
	}
	lts, known := allTemplates(cfg, g)
	if !known {
		o.wayOut = &verdict{rule: "CP201", at: g.Range,
			what: "the launch template of " + g.Addr + " is not in the configuration or cannot be determined",
			how:  "scan the folder that defines the launch template too"}
		return o
	}
	o.groups, o.groupsAt = sameGroups(lts), lts[0].NetworkRange
	o.publicIPIn = func(sn *model.Subnet) model.Fact[bool] { return instancePublicIP(lts, sn) }
	if v6 := sameFact(lts, func(lt *model.LaunchTemplate) model.Fact[bool] { return lt.IPv6Addresses }); v6.Known {
		o.ipv6InDualStack = no
		if v6.V {
			o.ipv6InDualStack = yes
		}
	}
	for _, lt := range lts {
		ud := readUserData(lt)
		switch {
		case !ud.known:
			o.wayOut = &verdict{rule: "CP201", at: orRange(lt.UserData.Range, lt.Range),
				what: "the user data of " + lt.Addr + " cannot be read, and it may set an HTTP proxy for the container agent",
				how:  "give the variables it depends on values with --var-file or --var (canpull does not unpack compressed or multi-part user data)"}
		case ud.proxy:
			o.wayOut = &verdict{rule: "CP201", at: orRange(lt.UserData.Range, lt.Range),
				what: "the instances of " + g.Addr + " reach registries through an HTTP proxy set in their user data",
				how:  "nothing to supply: canpull does not follow a proxy; check that it reaches the registries"}
		}
		if o.wayOut != nil {
			break
		}
	}
	return o
}

// sameGroups is the security groups of the instances: the same for every
// launch template of the group, or unknown.
func sameGroups(lts []*model.LaunchTemplate) model.Refs {
	first := lts[0].SecurityGroups
	for _, lt := range lts[1:] {
		if !sameRefs(first, lt.SecurityGroups) {
			return model.Refs{Range: lt.SecurityGroups.Range}
		}
	}
	return first
}

func sameRefs(a, b model.Refs) bool {
	if a.Known != b.Known || len(a.Items) != len(b.Items) {
		return false
	}
	for i := range a.Items {
		if a.Items[i].Addr != b.Items[i].Addr || a.Items[i].Value != b.Items[i].Value || a.Items[i].Known != b.Items[i].Known {
			return false
		}
	}
	return true
}

// sameFact is a fact that every launch template gives alike, or an unknown
// one.
func sameFact(lts []*model.LaunchTemplate, get func(*model.LaunchTemplate) model.Fact[bool]) model.Fact[bool] {
	f := get(lts[0])
	for _, lt := range lts[1:] {
		g := get(lt)
		if g.Known != f.Known || g.V != f.V {
			return model.Fact[bool]{Set: true, Range: g.Range}
		}
	}
	return f
}

// instancePublicIP says whether the instances get a public IPv4 address in
// a subnet: the launch template's associate_public_ip_address, else the
// subnet's map_public_ip_on_launch.
func instancePublicIP(lts []*model.LaunchTemplate, sn *model.Subnet) model.Fact[bool] {
	f := sameFact(lts, func(lt *model.LaunchTemplate) model.Fact[bool] {
		ip := lt.AssociatePublicIP
		if !ip.Known && !ip.Set {
			return sn.MapPublicIPOnLaunch // left out: the subnet decides
		}
		return ip
	})
	if !f.Known {
		f.Set = true
	}
	return f
}

// instancePorts are the ephemeral ports of the instances: Linux's, unless a
// task placed on them is a Windows one or may be.
func instancePorts(cfg *model.Config, services []*model.Service) []portRange {
	for _, s := range services {
		td, ok := model.Resolve[*model.TaskDefinition](cfg, s.TaskDefinition)
		if !ok || !td.OSFamily.Known || strings.HasPrefix(strings.ToUpper(td.OSFamily.V), "WINDOWS") {
			return []portRange{linuxPorts, windowsPorts}
		}
	}
	return []portRange{linuxPorts}
}

// instanceIPReason says, for CP203, why instances get no public IP, and
// where: the launch template's setting, or the subnets' default.
func instanceIPReason(cfg *model.Config, g *model.AutoScalingGroup, subnets []*model.Subnet) (why string, at hcl.Range) {
	lts := templatesOf(cfg, g)
	for _, lt := range lts {
		if ip := lt.AssociatePublicIP; ip.Known && ip.Set && !ip.V {
			return "launch template " + lt.Addr + " sets associate_public_ip_address = false", ip.Range
		}
	}
	var names []string
	for _, sn := range subnets {
		names = append(names, sn.Addr)
	}
	name := "its launch template"
	if len(lts) > 0 {
		name = "launch template " + lts[0].Addr
	}
	return name + " leaves associate_public_ip_address out, and map_public_ip_on_launch of " + model.JoinNames(names, 0) + " is false", hcl.Range{}
}
