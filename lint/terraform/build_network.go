package terraform

import (
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/model"
)

var (
	vpcTypes    = []string{"aws_vpc", "aws_default_vpc"}
	rtTypes     = []string{"aws_route_table", "aws_default_route_table"}
	sgTypes     = []string{"aws_security_group", "aws_default_security_group"}
	subnetTypes = []string{"aws_subnet"}
)

// netBuild holds the network objects while their links are resolved.
type netBuild struct {
	*builder
	vpcs    map[string]*model.VPC
	subnets map[string]*model.Subnet
	tables  map[string]*model.RouteTable
	groups  map[string]*model.SecurityGroup
}

func (b *builder) network() {
	nb := &netBuild{builder: b, vpcs: map[string]*model.VPC{}, subnets: map[string]*model.Subnet{},
		tables: map[string]*model.RouteTable{}, groups: map[string]*model.SecurityGroup{}}
	nb.readVPCs()
	nb.readSubnets()
	nb.readRouteTables()
	nb.readRoutes()
	nb.readAssociations()
	nb.readGateways()
	nb.securityGroups()
	nb.endpoints()
	nb.networkACLs()
	nb.dhcpOptions()
}

func (nb *netBuild) readVPCs() {
	for _, typ := range vpcTypes {
		for _, ri := range nb.byType[typ] {
			eb := ri.block
			v := &model.VPC{
				Meta:               nb.meta(ri),
				CIDR:               eb.str("cidr_block", ""),
				EnableDNSSupport:   eb.boolean("enable_dns_support", true),
				EnableDNSHostnames: eb.boolean("enable_dns_hostnames", typ == "aws_default_vpc"),
				Default:            typ == "aws_default_vpc",
			}
			nb.vpcs[ri.addr] = v
			nb.cfg.Add(v)
		}
	}
}

func (nb *netBuild) readSubnets() {
	for _, ri := range nb.byType["aws_subnet"] {
		eb := ri.block
		s := &model.Subnet{
			Meta:                 nb.meta(ri),
			VPC:                  nb.ref(eb.attrs["vpc_id"], vpcTypes...),
			CIDR:                 eb.str("cidr_block", ""),
			AvailabilityZone:     eb.str("availability_zone", ""),
			MapPublicIPOnLaunch:  eb.boolean("map_public_ip_on_launch", false),
			IPv6CIDR:             eb.str("ipv6_cidr_block", ""),
			IPv6Native:           eb.boolean("ipv6_native", false),
			AssignIPv6OnCreation: eb.boolean("assign_ipv6_address_on_creation", false),
			EnableDNS64:          eb.boolean("enable_dns64", false),
		}
		nb.subnets[ri.addr] = s
		nb.cfg.Add(s)
	}
}

func (nb *netBuild) readRouteTables() {
	unknownMain := nb.unknownTypes["aws_main_route_table_association"] || nb.unknownTypes["aws_default_route_table"]
	for _, typ := range rtTypes {
		for _, ri := range nb.byType[typ] {
			eb := ri.block
			rt := &model.RouteTable{Meta: nb.meta(ri), RoutesKnown: true, IsDefault: typ == "aws_default_route_table"}
			if rt.IsDefault {
				// default_route_table_id = aws_vpc.x.default_route_table_id
				if t, ok := nb.tokenOf(eb.attrs["default_route_table_id"]); ok && contains(vpcTypes, nb.typeOf[t.Addr]) {
					rt.VPC = model.Ref{Addr: t.Addr, Known: true, Range: eb.rangeOf("default_route_table_id")}
					if v := nb.vpcs[t.Addr]; v != nil {
						v.MainRouteTable = model.Ref{Addr: ri.addr, Known: true, Range: ri.block.defRange}
					}
				} else {
					rt.VPC = model.Ref{Range: eb.rangeOf("default_route_table_id")}
					unknownMain = true // it may be any VPC's main table
				}
			} else {
				rt.VPC = nb.ref(eb.attrs["vpc_id"], vpcTypes...)
			}
			routes, known := eb.nested("route")
			rt.RoutesKnown = known
			if a := eb.attrs["propagating_vgws"]; a != nil && !(a.val.IsKnown() && (a.val.IsNull() ||
				a.val.CanIterateElements() && a.val.LengthInt() == 0)) {
				rt.Propagates = true
			}
			for _, r := range routes {
				rt.Routes = append(rt.Routes, nb.route(r))
			}
			nb.tables[ri.addr] = rt
			nb.cfg.Add(rt)
		}
	}
	for _, ri := range nb.byType["aws_main_route_table_association"] {
		eb := ri.block
		vr := nb.ref(eb.attrs["vpc_id"], vpcTypes...)
		if v := nb.vpcs[vr.Addr]; v != nil {
			v.MainRouteTable = nb.ref(eb.attrs["route_table_id"], rtTypes...)
			continue
		}
		if !vr.Known {
			unknownMain = true
		}
	}
	if unknownMain {
		// Some VPC's main table is set by something canpull cannot read.
		for _, v := range nb.vpcs {
			if v.MainRouteTable.IsZero() {
				v.MainRouteTable = model.Ref{Range: v.Range}
			}
		}
	}
}

// mainTable returns a VPC's main route table. When the configuration does
// not manage it, it is the one AWS created, with only the local route; it
// is added to the model the first time something refers to it.
func (nb *netBuild) mainTable(vpcAddr string) *model.RouteTable {
	v := nb.vpcs[vpcAddr]
	if v == nil {
		return nil
	}
	if !v.MainRouteTable.IsZero() {
		rt, _ := model.Resolve[*model.RouteTable](nb.cfg, v.MainRouteTable)
		return rt
	}
	rt := &model.RouteTable{Meta: model.Meta{Addr: vpcAddr + ".main_route_table", Range: v.Range, Account: v.Account, Region: v.Region},
		VPC: model.Ref{Addr: vpcAddr, Known: true, Range: v.Range}, RoutesKnown: !v.Default, IsDefault: true}
	v.MainRouteTable = model.Ref{Addr: rt.Addr, Known: true, Range: v.Range}
	nb.tables[rt.Addr] = rt
	nb.cfg.Add(rt)
	return rt
}

// tableRef turns an argument into a reference to a route table, following
// a VPC's main_route_table_id or default_route_table_id to its main table.
func (nb *netBuild) tableRef(a *evalAttr) model.Ref {
	if t, ok := nb.tokenOf(a); ok && contains(vpcTypes, nb.typeOf[t.Addr]) &&
		(t.Attr == "main_route_table_id" || t.Attr == "default_route_table_id") {
		if rt := nb.mainTable(t.Addr); rt != nil {
			return model.Ref{Addr: rt.Addr, Known: true, Range: a.rng}
		}
		return model.Ref{Range: a.rng}
	}
	return nb.ref(a, rtTypes...)
}

// tableRefs is tableRef for a list argument.
func (nb *netBuild) tableRefs(eb *evalBlock, name string) model.Refs {
	return nb.refsWith(eb, name, nb.tableRef)
}

func (nb *netBuild) readRoutes() {
	unknown := nb.unknownTypes["aws_route"]
	for _, ri := range nb.byType["aws_route"] {
		rt := nb.tables[nb.tableRef(ri.block.attrs["route_table_id"]).Addr]
		if rt == nil {
			// A route whose table is unknown could be in any table.
			unknown = true
			continue
		}
		r := nb.route(ri.block)
		r.Range = ri.block.defRange
		rt.Routes = append(rt.Routes, r)
	}
	if unknown {
		for _, t := range nb.tables {
			t.RoutesKnown = false
		}
	}
	unknown = nb.unknownTypes["aws_vpn_gateway_route_propagation"]
	for _, ri := range nb.byType["aws_vpn_gateway_route_propagation"] {
		if rt := nb.tables[nb.tableRef(ri.block.attrs["route_table_id"]).Addr]; rt != nil {
			rt.Propagates = true
		} else {
			unknown = true
		}
	}
	if unknown {
		for _, t := range nb.tables {
			t.Propagates = true
		}
	}
}

// readAssociations reads explicit subnet associations. One whose subnet is
// unknown could be any subnet's, so every subnet without a known one
// becomes unknown.
func (nb *netBuild) readAssociations() {
	anyUnknown := nb.unknownTypes["aws_route_table_association"]
	for _, ri := range nb.byType["aws_route_table_association"] {
		eb := ri.block
		if eb.attrs["gateway_id"] != nil && eb.attrs["subnet_id"] == nil {
			continue // an edge association: not a subnet's
		}
		sr := nb.ref(eb.attrs["subnet_id"], subnetTypes...)
		s := nb.subnets[sr.Addr]
		if s == nil {
			if !sr.Known || sr.Addr == "" && sr.Value == "" {
				anyUnknown = true
			}
			continue
		}
		s.RouteTable = nb.tableRef(eb.attrs["route_table_id"])
		s.RouteTable.Range = ri.block.defRange
	}
	if anyUnknown {
		for _, s := range nb.subnets {
			if s.RouteTable.IsZero() {
				s.RouteTable = model.Ref{Range: s.Range}
			}
		}
	}
}

func (nb *netBuild) readGateways() {
	for _, ri := range nb.byType["aws_internet_gateway"] {
		nb.cfg.Add(&model.InternetGateway{Meta: nb.meta(ri), VPC: nb.ref(ri.block.attrs["vpc_id"], vpcTypes...)})
	}
	for _, ri := range nb.byType["aws_egress_only_internet_gateway"] {
		nb.cfg.Add(&model.InternetGateway{Meta: nb.meta(ri), VPC: nb.ref(ri.block.attrs["vpc_id"], vpcTypes...), EgressOnly: true})
	}
	for _, ri := range nb.byType["aws_internet_gateway_attachment"] {
		gr := nb.ref(ri.block.attrs["internet_gateway_id"], "aws_internet_gateway")
		if g, ok := model.Resolve[*model.InternetGateway](nb.cfg, gr); ok {
			g.VPC = nb.ref(ri.block.attrs["vpc_id"], vpcTypes...)
		}
	}
	for _, ri := range nb.byType["aws_nat_gateway"] {
		nb.cfg.Add(&model.NATGateway{
			Meta:             nb.meta(ri),
			Subnet:           nb.ref(ri.block.attrs["subnet_id"], subnetTypes...),
			ConnectivityType: ri.block.str("connectivity_type", "public"),
		})
	}
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
func (nb *netBuild) endpoints() {
	eps := map[string]*model.VPCEndpoint{}
	for _, ri := range nb.byType["aws_vpc_endpoint"] {
		eb := ri.block
		e := &model.VPCEndpoint{
			Meta:           nb.meta(ri),
			VPC:            nb.ref(eb.attrs["vpc_id"], vpcTypes...),
			ServiceName:    eb.str("service_name", ""),
			Type:           eb.str("vpc_endpoint_type", "Gateway"),
			PrivateDNS:     eb.boolean("private_dns_enabled", false),
			Subnets:        nb.refs(eb, "subnet_ids", subnetTypes...),
			RouteTables:    nb.tableRefs(eb, "route_table_ids"),
			SecurityGroups: nb.groupRefs(eb, "security_group_ids"),
			Policy:         eb.str("policy", ""),
			IPAddressType:  eb.str("ip_address_type", ""),
		}
		if e.ServiceName.Known && model.HasToken(e.ServiceName.V) {
			// com.amazonaws.${data.aws_region.current.name}.ecr.dkr with
			// the region unknown: which service, in which region, is not.
			e.ServiceName = model.UnknownFact[string](e.ServiceName.Range)
		}
		eps[ri.addr] = e
		nb.cfg.Add(e)
	}
	assoc := []struct {
		typ, attr string
		ref       func(*evalAttr) model.Ref
		list      func(*model.VPCEndpoint) *model.Refs
	}{
		{"aws_vpc_endpoint_route_table_association", "route_table_id", nb.tableRef, func(e *model.VPCEndpoint) *model.Refs { return &e.RouteTables }},
		{"aws_vpc_endpoint_subnet_association", "subnet_id", func(a *evalAttr) model.Ref { return nb.ref(a, subnetTypes...) },
			func(e *model.VPCEndpoint) *model.Refs { return &e.Subnets }},
		{"aws_vpc_endpoint_security_group_association", "security_group_id", nb.groupRef, func(e *model.VPCEndpoint) *model.Refs { return &e.SecurityGroups }},
	}
	for _, as := range assoc {
		unknown := nb.unknownTypes[as.typ]
		for _, ri := range nb.byType[as.typ] {
			er := nb.ref(ri.block.attrs["vpc_endpoint_id"], "aws_vpc_endpoint")
			e := eps[er.Addr]
			if e == nil {
				unknown = unknown || !er.Known
				continue
			}
			l := as.list(e)
			if !l.Set {
				l.Range = ri.block.defRange
			}
			l.Set = true
			l.Items = append(l.Items, as.ref(ri.block.attrs[as.attr]))
		}
		if unknown {
			for _, e := range eps {
				as.list(e).Known = false
			}
		}
	}
	nb.endpointSettings(eps)
}

// endpointSettings merges aws_vpc_endpoint_private_dns and
// aws_vpc_endpoint_policy, which set one argument of an endpoint from
// outside it (the provider's documentation says to leave the argument out
// of the endpoint then). One whose endpoint is unknown could be any
// endpoint's.
func (nb *netBuild) endpointSettings(eps map[string]*model.VPCEndpoint) {
	settings := []struct {
		typ   string
		set   func(e *model.VPCEndpoint, eb *evalBlock)
		clear func(e *model.VPCEndpoint)
	}{
		{"aws_vpc_endpoint_private_dns",
			func(e *model.VPCEndpoint, eb *evalBlock) { e.PrivateDNS = eb.boolean("private_dns_enabled", false) },
			func(e *model.VPCEndpoint) { e.PrivateDNS = model.UnknownFact[bool](e.PrivateDNS.Range) }},
		{"aws_vpc_endpoint_policy",
			func(e *model.VPCEndpoint, eb *evalBlock) { e.Policy = eb.str("policy", "") },
			func(e *model.VPCEndpoint) { e.Policy = model.UnknownFact[string](e.Policy.Range) }},
	}
	for _, st := range settings {
		unknown := nb.unknownTypes[st.typ]
		for _, ri := range nb.byType[st.typ] {
			er := nb.ref(ri.block.attrs["vpc_endpoint_id"], "aws_vpc_endpoint")
			if e := eps[er.Addr]; e != nil {
				st.set(e, ri.block)
			} else if !er.Known {
				unknown = true
			}
		}
		if unknown {
			for _, e := range eps {
				st.clear(e)
			}
		}
	}
}

// refsWith turns a list argument into references, one element at a time.
func (b *builder) refsWith(eb *evalBlock, name string, ref func(*evalAttr) model.Ref) model.Refs {
	a := eb.attrs[name]
	if a == nil || (a.val.IsKnown() && a.val.IsNull()) {
		return model.Refs{Known: true, Range: eb.defRange}
	}
	out := model.Refs{Set: true, Range: a.rng}
	if !a.val.IsKnown() || !a.val.CanIterateElements() {
		return out
	}
	out.Known = true
	marked := a.marked
	if marked == cty.NilVal {
		marked = a.val
	}
	marked, _ = marked.Unmark()
	for it := marked.ElementIterator(); it.Next(); {
		_, el := it.Element()
		val, _ := el.UnmarkDeep()
		rng := b.originRange(el, a.rng, a.inst(), false)
		out.Items = append(out.Items, ref(&evalAttr{val: val, marked: el, rng: rng, sc: a.sc}))
	}
	out.Range = b.listOrigin(out.Items, a.rng, a.inst())
	return out
}
