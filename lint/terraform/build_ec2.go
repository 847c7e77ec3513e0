package terraform

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/canpull/canpull/lint/model"
)

// The EC2 capacity of clusters: capacity providers, their Auto Scaling
// groups, the launch templates (or launch configurations) those launch
// instances from, and the instance profiles that give the instances a role.

var (
	asgTypes            = []string{"aws_autoscaling_group"}
	launchTemplateTypes = []string{"aws_launch_template"}
	launchConfigTypes   = []string{"aws_launch_configuration"}
	profileTypes        = []string{"aws_iam_instance_profile"}
)

// capacityTypes are the resource types of EC2 capacity: one whose count is
// unknown leaves the capacity of every cluster unknown.
var capacityTypes = []string{"aws_ecs_capacity_provider", "aws_autoscaling_group", "aws_launch_template",
	"aws_launch_configuration", "aws_iam_instance_profile"}

func (b *builder) capacity() {
	for _, typ := range capacityTypes {
		if b.unknownTypes[typ] {
			b.cfg.SetIncomplete(model.KindCapacity)
		}
	}
	for _, ri := range b.byType["aws_ecs_capacity_provider"] {
		eb := ri.block
		cp := &model.CapacityProvider{Meta: b.meta(ri), Name: eb.str("name", "")}
		if ap := eb.first("auto_scaling_group_provider"); ap != nil {
			cp.AutoScalingGroup = b.ref(ap.attrs["auto_scaling_group_arn"], asgTypes...)
		}
		b.cfg.Add(cp)
	}
	for _, ri := range b.byType["aws_autoscaling_group"] {
		b.cfg.Add(b.autoScalingGroup(ri))
	}
	for _, ri := range b.byType["aws_launch_template"] {
		b.cfg.Add(b.launchTemplate(ri))
	}
	for _, ri := range b.byType["aws_launch_configuration"] {
		eb := ri.block
		lt := &model.LaunchTemplate{
			Meta:              b.meta(ri),
			Configuration:     true,
			InstanceProfile:   b.ref(eb.attrs["iam_instance_profile"], profileTypes...),
			SecurityGroups:    b.groupRefs(eb, "security_groups"),
			AssociatePublicIP: eb.boolean("associate_public_ip_address", false),
			IPv6Addresses:     model.DefaultFact(false, eb.defRange),
			NetworkRange:      eb.defRange,
		}
		if !lt.AssociatePublicIP.Set {
			lt.AssociatePublicIP = model.Fact[bool]{Range: eb.defRange} // the subnet decides
		}
		if a := eb.attrs["user_data_base64"]; a != nil && !(a.val.IsKnown() && a.val.IsNull()) {
			lt.UserData, lt.UserDataBase64 = stringFact(a), true
		} else if eb.attrs["user_data"] != nil {
			lt.UserData = eb.str("user_data", "")
		}
		b.cfg.Add(lt)
	}
	for _, ri := range b.byType["aws_iam_instance_profile"] {
		eb := ri.block
		p := &model.InstanceProfile{Meta: b.meta(ri), Name: eb.str("name", ""), Role: b.ref(eb.attrs["role"], roleTypes...)}
		if !p.Name.Set {
			p.Name = model.Fact[string]{Range: eb.defRange} // name_prefix, or AWS picks one
		}
		b.cfg.Add(p)
	}
}

// autoScalingGroup reads a group's subnets and the launch templates it
// launches instances from.
func (b *builder) autoScalingGroup(ri *resInst) *model.AutoScalingGroup {
	eb := ri.block
	g := &model.AutoScalingGroup{Meta: b.meta(ri), Name: eb.str("name", ""), Subnets: b.refs(eb, "vpc_zone_identifier", subnetTypes...),
		LaunchTemplatesKnown: true}
	if !g.Name.Set {
		g.Name = model.Fact[string]{Range: eb.defRange}
	}
	add := func(spec *evalBlock, idKey, nameKey string) {
		r := b.ref(spec.attrs[idKey], launchTemplateTypes...)
		if r.IsZero() {
			r = b.ref(spec.attrs[nameKey], launchTemplateTypes...)
		}
		if r.IsZero() {
			r = model.Ref{Range: spec.defRange} // neither given: unknown
		}
		g.LaunchTemplates = append(g.LaunchTemplates, r)
	}
	blocks, known := eb.nested("launch_template")
	g.LaunchTemplatesKnown = g.LaunchTemplatesKnown && known
	for _, lt := range blocks {
		add(lt, "id", "name")
	}
	if a := eb.attrs["launch_configuration"]; a != nil && !(a.val.IsKnown() && a.val.IsNull()) {
		g.LaunchTemplates = append(g.LaunchTemplates, b.ref(a, launchConfigTypes...))
	}
	mips, known := eb.nested("mixed_instances_policy")
	g.LaunchTemplatesKnown = g.LaunchTemplatesKnown && known
	for _, mip := range mips {
		lts, known := mip.nested("launch_template")
		g.LaunchTemplatesKnown = g.LaunchTemplatesKnown && known
		for _, lt := range lts {
			specs, known := lt.nested("launch_template_specification")
			g.LaunchTemplatesKnown = g.LaunchTemplatesKnown && known
			for _, spec := range specs {
				add(spec, "launch_template_id", "launch_template_name")
			}
			overrides, known := lt.nested("override")
			g.LaunchTemplatesKnown = g.LaunchTemplatesKnown && known
			for _, o := range overrides {
				specs, known := o.nested("launch_template_specification")
				g.LaunchTemplatesKnown = g.LaunchTemplatesKnown && known
				for _, spec := range specs {
					add(spec, "launch_template_id", "launch_template_name")
				}
			}
		}
	}
	return g
}

// launchTemplate reads what a launch template gives its instances.
func (b *builder) launchTemplate(ri *resInst) *model.LaunchTemplate {
	eb := ri.block
	lt := &model.LaunchTemplate{
		Meta:              b.meta(ri),
		SecurityGroups:    b.groupRefs(eb, "vpc_security_group_ids"),
		AssociatePublicIP: model.Fact[bool]{Range: eb.defRange},
		IPv6Addresses:     model.Fact[bool]{Range: eb.defRange},
		NetworkRange:      eb.defRange,
	}
	if eb.attrs["user_data"] != nil {
		lt.UserData, lt.UserDataBase64 = eb.str("user_data", ""), true
	}
	profiles, known := eb.nested("iam_instance_profile")
	switch {
	case !known:
		lt.InstanceProfile = model.Ref{Range: eb.defRange}
	case len(profiles) > 0:
		p := profiles[0]
		lt.InstanceProfile = b.ref(p.attrs["arn"], profileTypes...)
		if lt.InstanceProfile.IsZero() {
			lt.InstanceProfile = b.ref(p.attrs["name"], profileTypes...)
		}
		if lt.InstanceProfile.IsZero() {
			lt.InstanceProfile = model.Ref{Range: p.defRange}
		}
	}
	nis, known := eb.nested("network_interfaces")
	if !known {
		lt.SecurityGroups = model.Refs{Range: eb.defRange}
		return lt
	}
	ni := primaryInterface(nis)
	if ni == nil {
		return lt
	}
	lt.NetworkRange = ni.defRange
	lt.AssociatePublicIP = ni.boolean("associate_public_ip_address", false)
	if !lt.AssociatePublicIP.Set {
		lt.AssociatePublicIP = model.Fact[bool]{Range: ni.defRange}
	}
	if ni.attrs["ipv6_address_count"] != nil || ni.attrs["ipv6_addresses"] != nil {
		n := ni.integer("ipv6_address_count", 0)
		addrs := ni.strings("ipv6_addresses")
		switch {
		case !n.Known || !addrs.Known:
			lt.IPv6Addresses = model.UnknownFact[bool](ni.defRange)
		default:
			lt.IPv6Addresses = model.KnownFact(n.V > 0 || len(addrs.V) > 0, ni.defRange)
		}
	}
	if ni.attrs["security_groups"] != nil {
		lt.SecurityGroups = b.groupRefs(ni, "security_groups")
	}
	return lt
}

// primaryInterface is the network interface of device index 0 (the one
// the instance's own traffic leaves by), or the only one.
func primaryInterface(nis []*evalBlock) *evalBlock {
	for _, ni := range nis {
		if d := ni.integer("device_index", 0); d.Known && d.V == 0 {
			return ni
		}
	}
	if len(nis) == 1 {
		return nis[0]
	}
	return nil
}

// tags reads a map of tags.
func (eb *evalBlock) tags(name string) model.Tags {
	a := eb.attrs[name]
	if a == nil || (a.val.IsKnown() && a.val.IsNull()) {
		return model.DefaultFact[map[string]string](nil, eb.defRange)
	}
	if !a.val.IsWhollyKnown() || !a.val.CanIterateElements() {
		return model.UnknownFact[map[string]string](a.rng)
	}
	out := map[string]string{}
	for it := a.val.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if k.Type() != cty.String {
			return model.UnknownFact[map[string]string](a.rng)
		}
		s, err := convert.Convert(v, cty.String)
		if err != nil || s.IsNull() {
			return model.UnknownFact[map[string]string](a.rng)
		}
		out[k.AsString()] = s.AsString()
	}
	return model.KnownFact(out, a.rng)
}

// guardDuty reads detector features.
func (b *builder) guardDuty() {
	if b.unknownTypes["aws_guardduty_detector_feature"] {
		b.cfg.SetIncomplete(model.KindGuardDuty)
	}
	for _, ri := range b.byType["aws_guardduty_detector_feature"] {
		eb := ri.block
		f := &model.GuardDutyFeature{Meta: b.meta(ri), Name: eb.str("name", ""), Status: eb.str("status", ""),
			Additional: map[string]model.Fact[string]{}}
		blocks, known := eb.nested("additional_configuration")
		f.AdditionalKnown = known
		for _, ab := range blocks {
			n := ab.str("name", "")
			if !n.Known {
				f.AdditionalKnown = false
				continue
			}
			f.Additional[n.V] = ab.str("status", "")
		}
		b.cfg.Add(f)
	}
}
