package terraform

import (
	"strings"

	"github.com/canpull/canpull/lint/model"
)

var (
	vpcTypes    = []string{"aws_vpc", "aws_default_vpc"}
	rtTypes     = []string{"aws_route_table", "aws_default_route_table"}
	sgTypes     = []string{"aws_security_group", "aws_default_security_group"}
	subnetTypes = []string{"aws_subnet"}
)

func (b *builder) network() {
	vpcs := map[string]*model.VPC{}
	for _, typ := range vpcTypes {
		for _, ri := range b.byType[typ] {
			eb := ri.block
			v := &model.VPC{
				Meta:               b.meta(ri),
				CIDR:               eb.str("cidr_block", ""),
				EnableDNSSupport:   eb.boolean("enable_dns_support", true),
				EnableDNSHostnames: eb.boolean("enable_dns_hostnames", typ == "aws_default_vpc"),
			}
			vpcs[ri.addr] = v
			b.cfg.Add(v)
		}
	}
	subnets := map[string]*model.Subnet{}
	for _, ri := range b.byType["aws_subnet"] {
		eb := ri.block
		s := &model.Subnet{
			Meta:                b.meta(ri),
			VPC:                 b.ref(eb.attrs["vpc_id"], vpcTypes...),
			CIDR:                eb.str("cidr_block", ""),
			AvailabilityZone:    eb.str("availability_zone", ""),
			MapPublicIPOnLaunch: eb.boolean("map_public_ip_on_launch", false),
		}
		subnets[ri.addr] = s
		b.cfg.Add(s)
	}
	tables := map[string]*model.RouteTable{}
	for _, typ := range rtTypes {
		for _, ri := range b.byType[typ] {
			eb := ri.block
			rt := &model.RouteTable{Meta: b.meta(ri), RoutesKnown: true, IsDefault: typ == "aws_default_route_table"}
			if rt.IsDefault {
				// default_route_table_id = aws_vpc.x.default_route_table_id
				if t, ok := b.tokenOf(eb.attrs["default_route_table_id"]); ok && contains(vpcTypes, b.typeOf[t.Addr]) {
					rt.VPC = model.Ref{Addr: t.Addr, Known: true, Range: eb.rangeOf("default_route_table_id")}
					if v := vpcs[t.Addr]; v != nil {
						v.MainRouteTable = model.Ref{Addr: ri.addr, Known: true, Range: ri.block.defRange}
					}
				} else {
					rt.VPC = model.Ref{Range: eb.rangeOf("default_route_table_id")}
				}
			} else {
				rt.VPC = b.ref(eb.attrs["vpc_id"], vpcTypes...)
			}
			routes, known := eb.nested("route")
			rt.RoutesKnown = known
			for _, r := range routes {
				rt.Routes = append(rt.Routes, b.route(r))
			}
			tables[ri.addr] = rt
			b.cfg.Add(rt)
		}
	}
	// Routes may also name a VPC's main table through the VPC's attributes.
	mainTable := func(vpcAddr string) *model.RouteTable {
		v := vpcs[vpcAddr]
		if v == nil {
			return nil
		}
		if rt, ok := model.Resolve[*model.RouteTable](b.cfg, v.MainRouteTable); ok {
			return rt
		}
		rt := &model.RouteTable{Meta: model.Meta{Addr: vpcAddr + ".main_route_table", Range: v.Range, Account: v.Account, Region: v.Region},
			VPC: model.Ref{Addr: vpcAddr, Known: true, Range: v.Range}, RoutesKnown: true, IsDefault: true}
		v.MainRouteTable = model.Ref{Addr: rt.Addr, Known: true, Range: v.Range}
		tables[rt.Addr] = rt
		b.cfg.Add(rt)
		return rt
	}
	tableOf := func(a *evalAttr) (*model.RouteTable, bool) {
		if t, ok := b.tokenOf(a); ok && contains(vpcTypes, b.typeOf[t.Addr]) &&
			(t.Attr == "main_route_table_id" || t.Attr == "default_route_table_id") {
			return mainTable(t.Addr), true
		}
		r := b.ref(a, rtTypes...)
		rt := tables[r.Addr]
		return rt, rt != nil
	}
	for _, ri := range b.byType["aws_main_route_table_association"] {
		eb := ri.block
		vr := b.ref(eb.attrs["vpc_id"], vpcTypes...)
		rr := b.ref(eb.attrs["route_table_id"], rtTypes...)
		if v := vpcs[vr.Addr]; v != nil {
			v.MainRouteTable = rr
		}
	}
	for _, ri := range b.byType["aws_route"] {
		rt, ok := tableOf(ri.block.attrs["route_table_id"])
		if !ok {
			// A route whose table is unknown could be in any table.
			for _, t := range tables {
				t.RoutesKnown = false
			}
			continue
		}
		r := b.route(ri.block)
		r.Range = ri.block.defRange
		rt.Routes = append(rt.Routes, r)
	}
	if b.unknownTypes["aws_route"] {
		for _, t := range tables {
			t.RoutesKnown = false
		}
	}
	// Explicit subnet associations. One whose subnet is unknown could be
	// any subnet's, so every subnet without a known one becomes unknown.
	anyUnknown := b.unknownTypes["aws_route_table_association"]
	for _, ri := range b.byType["aws_route_table_association"] {
		eb := ri.block
		if eb.attrs["gateway_id"] != nil && eb.attrs["subnet_id"] == nil {
			continue // an edge association: not a subnet's
		}
		sr := b.ref(eb.attrs["subnet_id"], subnetTypes...)
		s := subnets[sr.Addr]
		if s == nil {
			if !sr.Known || sr.Addr == "" && sr.Value == "" {
				anyUnknown = true
			}
			continue
		}
		rr := b.ref(eb.attrs["route_table_id"], rtTypes...)
		if rt, ok := tableOf(eb.attrs["route_table_id"]); ok {
			rr = model.Ref{Addr: rt.Addr, Known: true, Range: eb.rangeOf("route_table_id")}
		}
		s.RouteTable = rr
		s.RouteTable.Range = ri.block.defRange
	}
	if anyUnknown {
		for _, s := range subnets {
			if s.RouteTable.IsZero() {
				s.RouteTable = model.Ref{Range: s.Range}
			}
		}
	}

	for _, ri := range b.byType["aws_internet_gateway"] {
		b.cfg.Add(&model.InternetGateway{Meta: b.meta(ri), VPC: b.ref(ri.block.attrs["vpc_id"], vpcTypes...)})
	}
	for _, ri := range b.byType["aws_egress_only_internet_gateway"] {
		b.cfg.Add(&model.InternetGateway{Meta: b.meta(ri), VPC: b.ref(ri.block.attrs["vpc_id"], vpcTypes...), EgressOnly: true})
	}
	for _, ri := range b.byType["aws_internet_gateway_attachment"] {
		gr := b.ref(ri.block.attrs["internet_gateway_id"], "aws_internet_gateway")
		if g, ok := model.Resolve[*model.InternetGateway](b.cfg, gr); ok {
			g.VPC = b.ref(ri.block.attrs["vpc_id"], vpcTypes...)
		}
	}
	for _, ri := range b.byType["aws_nat_gateway"] {
		b.cfg.Add(&model.NATGateway{
			Meta:             b.meta(ri),
			Subnet:           b.ref(ri.block.attrs["subnet_id"], subnetTypes...),
			ConnectivityType: ri.block.str("connectivity_type", "public"),
		})
	}
	b.endpoints()
	b.securityGroups(vpcs)
}

// route reads one route, from a route block or an aws_route resource.
func (b *builder) route(eb *evalBlock) *model.Route {
	r := &model.Route{Range: eb.rng}
	if r.Range.Filename == "" {
		r.Range = eb.defRange
	}
	for _, name := range []string{"cidr_block", "destination_cidr_block"} {
		if f := eb.str(name, ""); f.Set && (!f.Known || f.V != "") {
			r.Destination = f
		}
	}
	for _, name := range []string{"ipv6_cidr_block", "destination_ipv6_cidr_block"} {
		if f := eb.str(name, ""); f.Set && (!f.Known || f.V != "") {
			r.Destination, r.IPv6 = f, true
		}
	}
	if f := eb.str("destination_prefix_list_id", ""); f.Set && (!f.Known || f.V != "") {
		r.Destination, r.PrefixList = f, true
	}
	for _, name := range routeTargets {
		a := eb.attrs[name]
		if a == nil || (a.val.IsKnown() && a.val.IsNull()) {
			continue
		}
		if s, ok := knownString(a.val); ok && s == "" {
			continue // the attribute form of route sets every target, most to ""
		}
		r.Target, r.TargetKind = b.routeTarget(a)
		break
	}
	return r
}

var routeTargets = []string{"gateway_id", "nat_gateway_id", "egress_only_gateway_id", "transit_gateway_id",
	"vpc_peering_connection_id", "network_interface_id", "instance_id", "vpc_endpoint_id", "carrier_gateway_id",
	"core_network_arn", "local_gateway_id"}

// targetKinds classifies a route target by the resource it refers to.
var targetKinds = map[string]model.TargetKind{
	"aws_internet_gateway":             model.TargetInternetGateway,
	"aws_egress_only_internet_gateway": model.TargetEgressOnlyInternetGateway,
	"aws_nat_gateway":                  model.TargetNATGateway,
	"aws_ec2_transit_gateway":          model.TargetTransitGateway,
	"aws_vpc_peering_connection":       model.TargetPeering,
	"aws_instance":                     model.TargetInstance,
	"aws_network_interface":            model.TargetInstance,
	"aws_vpc_endpoint":                 model.TargetVPCEndpoint,
	"aws_networkfirewall_firewall":     model.TargetVPCEndpoint,
}

// targetPrefixes classifies literal target IDs.
var targetPrefixes = []struct {
	prefix string
	kind   model.TargetKind
}{
	{"igw-", model.TargetInternetGateway}, {"eigw-", model.TargetEgressOnlyInternetGateway},
	{"nat-", model.TargetNATGateway}, {"tgw-", model.TargetTransitGateway}, {"pcx-", model.TargetPeering},
	{"eni-", model.TargetInstance}, {"i-", model.TargetInstance}, {"vpce-", model.TargetVPCEndpoint},
}

func (b *builder) routeTarget(a *evalAttr) (model.Ref, model.TargetKind) {
	if !a.val.IsKnown() {
		return model.Ref{Range: a.rng}, model.TargetUnknown
	}
	s, ok := knownString(a.val)
	if !ok {
		return model.Ref{Range: a.rng}, model.TargetUnknown
	}
	if t, ok := model.ParseToken(s); ok {
		kind, modeled := targetKinds[b.typeOf[t.Addr]]
		if !modeled {
			kind = model.TargetOther
		}
		return model.Ref{Addr: t.Addr, Known: true, Range: a.rng}, kind
	}
	if model.HasToken(s) {
		return model.Ref{Range: a.rng}, model.TargetUnknown
	}
	if s == "local" {
		return model.Ref{Value: s, Known: true, Range: a.rng}, model.TargetLocal
	}
	for _, p := range targetPrefixes {
		if strings.HasPrefix(s, p.prefix) {
			return model.Ref{Value: s, Known: true, Range: a.rng}, p.kind
		}
	}
	return model.Ref{Value: s, Known: true, Range: a.rng}, model.TargetOther
}

// endpoints reads VPC endpoints and merges the separate association
// resources into them.
func (b *builder) endpoints() {
	eps := map[string]*model.VPCEndpoint{}
	for _, ri := range b.byType["aws_vpc_endpoint"] {
		eb := ri.block
		e := &model.VPCEndpoint{
			Meta:           b.meta(ri),
			VPC:            b.ref(eb.attrs["vpc_id"], vpcTypes...),
			ServiceName:    eb.str("service_name", ""),
			Type:           eb.str("vpc_endpoint_type", "Gateway"),
			PrivateDNS:     eb.boolean("private_dns_enabled", false),
			Subnets:        b.refs(eb, "subnet_ids", subnetTypes...),
			RouteTables:    b.refs(eb, "route_table_ids", rtTypes...),
			SecurityGroups: b.refs(eb, "security_group_ids", sgTypes...),
			Policy:         eb.str("policy", ""),
		}
		eps[ri.addr] = e
		b.cfg.Add(e)
	}
	assoc := []struct {
		typ, attr string
		types     []string
		list      func(*model.VPCEndpoint) *model.Refs
	}{
		{"aws_vpc_endpoint_route_table_association", "route_table_id", rtTypes, func(e *model.VPCEndpoint) *model.Refs { return &e.RouteTables }},
		{"aws_vpc_endpoint_subnet_association", "subnet_id", subnetTypes, func(e *model.VPCEndpoint) *model.Refs { return &e.Subnets }},
		{"aws_vpc_endpoint_security_group_association", "security_group_id", sgTypes, func(e *model.VPCEndpoint) *model.Refs { return &e.SecurityGroups }},
	}
	for _, as := range assoc {
		unknown := b.unknownTypes[as.typ]
		for _, ri := range b.byType[as.typ] {
			er := b.ref(ri.block.attrs["vpc_endpoint_id"], "aws_vpc_endpoint")
			e := eps[er.Addr]
			if e == nil {
				unknown = unknown || !er.Known
				continue
			}
			l := as.list(e)
			l.Set = true
			l.Items = append(l.Items, b.ref(ri.block.attrs[as.attr], as.types...))
		}
		if unknown {
			for _, e := range eps {
				as.list(e).Known = false
			}
		}
	}
}
