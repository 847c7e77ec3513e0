package cloudformation

import (
	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// The EC2 capacity of clusters, as Terraform's adapter reads it:
// AWS::ECS::CapacityProvider → AWS::AutoScaling::AutoScalingGroup →
// AWS::EC2::LaunchTemplate (or AWS::AutoScaling::LaunchConfiguration) →
// AWS::IAM::InstanceProfile → role; and GuardDuty detectors' features.

var (
	asgTypes            = []string{"AWS::AutoScaling::AutoScalingGroup"}
	launchTemplateTypes = []string{"AWS::EC2::LaunchTemplate", "AWS::AutoScaling::LaunchConfiguration"}
	profileTypes        = []string{"AWS::IAM::InstanceProfile"}
)

// capacityTypes are the resource types of EC2 capacity: one whose
// Condition is unknown leaves every cluster's capacity unknown.
var capacityTypes = []string{"AWS::ECS::CapacityProvider", "AWS::AutoScaling::AutoScalingGroup", "AWS::EC2::LaunchTemplate",
	"AWS::AutoScaling::LaunchConfiguration", "AWS::IAM::InstanceProfile"}

func (b *builder) capacity() {
	for _, typ := range capacityTypes {
		if b.unknownTypes[typ] {
			b.cfg.SetIncomplete(model.KindCapacity)
		}
	}
	for _, r := range b.byType["AWS::ECS::CapacityProvider"] {
		p := b.props(r)
		cp := &model.CapacityProvider{Meta: b.meta(r), Name: p.str("Name", "")}
		if !cp.Name.Set {
			cp.Name = model.Fact[string]{Range: r.keyRange} // CloudFormation names it
		}
		if ap, ok := p.child("AutoScalingGroupProvider"); ok {
			cp.AutoScalingGroup = b.ref(ap, "AutoScalingGroupArn", asgTypes...)
		}
		b.cfg.Add(cp)
	}
	for _, r := range b.byType["AWS::AutoScaling::AutoScalingGroup"] {
		b.cfg.Add(b.autoScalingGroup(r))
	}
	for _, r := range b.byType["AWS::EC2::LaunchTemplate"] {
		b.cfg.Add(b.launchTemplate(r))
	}
	for _, r := range b.byType["AWS::AutoScaling::LaunchConfiguration"] {
		p := b.props(r)
		lt := &model.LaunchTemplate{
			Meta:              b.meta(r),
			Configuration:     true,
			InstanceProfile:   b.ref(p, "IamInstanceProfile", profileTypes...),
			SecurityGroups:    b.refs(p, "SecurityGroups", b.groupRef),
			AssociatePublicIP: p.boolean("AssociatePublicIpAddress", false),
			IPv6Addresses:     model.DefaultFact(false, r.keyRange),
			NetworkRange:      r.keyRange,
		}
		if !lt.AssociatePublicIP.Set {
			lt.AssociatePublicIP = model.Fact[bool]{Range: r.keyRange}
		}
		if m := p.get("UserData"); m != nil {
			lt.UserData, lt.UserDataBase64 = p.str("UserData", ""), true
		}
		b.cfg.Add(lt)
	}
	for _, r := range b.byType["AWS::IAM::InstanceProfile"] {
		p := b.props(r)
		ip := &model.InstanceProfile{Meta: b.meta(r), Name: p.str("InstanceProfileName", "")}
		if !ip.Name.Set {
			ip.Name = model.Fact[string]{Range: r.keyRange}
		}
		roles := b.refs(p, "Roles", b.typed(roleTypes...))
		switch {
		case !roles.Known:
			ip.Role = model.Ref{Range: roles.Range}
		case len(roles.Items) == 1:
			ip.Role = roles.Items[0]
		}
		b.cfg.Add(ip)
	}
}

// autoScalingGroup reads a group's subnets and launch templates.
func (b *builder) autoScalingGroup(r *resource) *model.AutoScalingGroup {
	p := b.props(r)
	g := &model.AutoScalingGroup{Meta: b.meta(r), Name: p.str("AutoScalingGroupName", ""),
		Subnets: b.refs(p, "VPCZoneIdentifier", b.typed(subnetTypes...)), LaunchTemplatesKnown: p.known()}
	if !g.Name.Set {
		g.Name = model.Fact[string]{Range: r.keyRange}
	}
	add := func(spec obj) {
		if !spec.known() {
			g.LaunchTemplatesKnown = false
			return
		}
		ref := b.ref(spec, "LaunchTemplateId", launchTemplateTypes...)
		if ref.IsZero() {
			ref = b.ref(spec, "LaunchTemplateName", launchTemplateTypes...)
		}
		if ref.IsZero() {
			ref = model.Ref{Range: spec.def}
		}
		g.LaunchTemplates = append(g.LaunchTemplates, ref)
	}
	if lt, ok := p.child("LaunchTemplate"); ok {
		add(lt)
	}
	if m := p.get("LaunchConfigurationName"); m != nil && m.Value.Kind != jsontree.Null {
		g.LaunchTemplates = append(g.LaunchTemplates, b.ref(p, "LaunchConfigurationName", launchTemplateTypes...))
	}
	if mip, ok := p.child("MixedInstancesPolicy"); ok {
		lt, ok := mip.child("LaunchTemplate")
		switch {
		case !mip.known() || ok && !lt.known():
			g.LaunchTemplatesKnown = false
		case ok:
			if spec, ok := lt.child("LaunchTemplateSpecification"); ok {
				add(spec)
			}
			if m := lt.get("Overrides"); m != nil && m.Value.Kind == jsontree.Array {
				for _, it := range m.Value.Items {
					o := obj{v: it, def: it.Range}
					if !o.known() {
						g.LaunchTemplatesKnown = false
						continue
					}
					if spec, ok := o.child("LaunchTemplateSpecification"); ok {
						add(spec)
					}
				}
			} else if m != nil && m.Value.Kind != jsontree.Null {
				g.LaunchTemplatesKnown = false
			}
		}
	}
	return g
}

// launchTemplate reads what a launch template's LaunchTemplateData gives
// its instances.
func (b *builder) launchTemplate(r *resource) *model.LaunchTemplate {
	lt := &model.LaunchTemplate{Meta: b.meta(r), AssociatePublicIP: model.Fact[bool]{Range: r.keyRange},
		IPv6Addresses: model.Fact[bool]{Range: r.keyRange}, NetworkRange: r.keyRange}
	d, ok := b.props(r).child("LaunchTemplateData")
	if !ok {
		lt.SecurityGroups = model.Refs{Known: true, Range: r.keyRange}
		return lt
	}
	if !d.known() {
		lt.InstanceProfile, lt.SecurityGroups = model.Ref{Range: d.def}, model.Refs{Range: d.def}
		lt.UserData = model.UnknownFact[string](d.def)
		return lt
	}
	lt.SecurityGroups = b.refs(d, "SecurityGroupIds", b.groupRef)
	if d.get("UserData") != nil {
		lt.UserData, lt.UserDataBase64 = d.str("UserData", ""), true
	}
	if ip, ok := d.child("IamInstanceProfile"); ok {
		switch {
		case !ip.known():
			lt.InstanceProfile = model.Ref{Range: ip.def}
		default:
			lt.InstanceProfile = b.ref(ip, "Arn", profileTypes...)
			if lt.InstanceProfile.IsZero() {
				lt.InstanceProfile = b.ref(ip, "Name", profileTypes...)
			}
			if lt.InstanceProfile.IsZero() {
				lt.InstanceProfile = model.Ref{Range: ip.def}
			}
		}
	}
	m := d.get("NetworkInterfaces")
	if m == nil || m.Value.Kind == jsontree.Null {
		return lt
	}
	if m.Value.Kind != jsontree.Array {
		lt.SecurityGroups = model.Refs{Range: memberRange(m)}
		return lt
	}
	var ni *obj
	for _, it := range m.Value.Items {
		o := obj{v: it, def: it.Range}
		if !o.known() {
			lt.SecurityGroups = model.Refs{Range: memberRange(m)}
			return lt
		}
		if di := o.integer("DeviceIndex", 0); di.Known && di.V == 0 || len(m.Value.Items) == 1 {
			ni = &o
			break
		}
	}
	if ni == nil {
		return lt
	}
	lt.NetworkRange = ni.def
	lt.AssociatePublicIP = ni.boolean("AssociatePublicIpAddress", false)
	if !lt.AssociatePublicIP.Set {
		lt.AssociatePublicIP = model.Fact[bool]{Range: ni.def}
	}
	if ni.get("Ipv6AddressCount") != nil {
		n := ni.integer("Ipv6AddressCount", 0)
		lt.IPv6Addresses = model.Fact[bool]{V: n.V > 0, Known: n.Known, Set: true, Range: n.Range}
	}
	if ni.get("Groups") != nil {
		lt.SecurityGroups = b.refs(*ni, "Groups", b.groupRef)
	}
	return lt
}

// tags reads a Tags list of {Key, Value}.
func tags(o obj, key string) model.Tags {
	m := o.get(key)
	if m == nil || m.Value.Kind == jsontree.Null {
		return model.DefaultFact[map[string]string](nil, o.def)
	}
	rng := memberRange(m)
	if m.Value.Kind != jsontree.Array {
		return model.UnknownFact[map[string]string](rng)
	}
	out := map[string]string{}
	for _, it := range m.Value.Items {
		t := obj{v: it, def: it.Range}
		k, v := t.str("Key", ""), t.str("Value", "")
		if !t.known() || !k.Known || !v.Known {
			return model.UnknownFact[map[string]string](rng)
		}
		out[k.V] = v.V
	}
	return model.KnownFact(out, rng)
}

// guardDuty reads the Features of GuardDuty detectors.
func (b *builder) guardDuty() {
	if b.unknownTypes["AWS::GuardDuty::Detector"] {
		b.cfg.SetIncomplete(model.KindGuardDuty)
	}
	for _, r := range b.byType["AWS::GuardDuty::Detector"] {
		m := b.props(r).get("Features")
		if m == nil || m.Value.Kind != jsontree.Array {
			continue
		}
		for i, it := range m.Value.Items {
			o := obj{v: it, def: it.Range}
			meta := b.meta(r)
			meta.Addr += ".Features[" + itoa(i) + "]"
			meta.Range = it.Range
			f := &model.GuardDutyFeature{Meta: meta, Name: o.str("Name", ""), Status: o.str("Status", ""),
				Additional: map[string]model.Fact[string]{}, AdditionalKnown: o.known()}
			if am := o.get("AdditionalConfiguration"); am != nil && am.Value.Kind == jsontree.Array {
				for _, ai := range am.Value.Items {
					a := obj{v: ai, def: ai.Range}
					n := a.str("Name", "")
					if !a.known() || !n.Known {
						f.AdditionalKnown = false
						continue
					}
					f.Additional[n.V] = a.str("Status", "")
				}
			} else if am != nil && am.Value.Kind != jsontree.Null {
				f.AdditionalKnown = false
			}
			b.cfg.Add(f)
		}
	}
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
