package rules

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

// The way out of a Fargate task. For each subnet of a service, canpull
// lists what the task must reach before its containers start (needs.go)
// and follows each need the way its traffic goes:
//
//   - to an interface VPC endpoint, when one with private DNS serves it:
//     DNS then sends the service's usual host name there, whatever other
//     way out the subnet has;
//   - to the S3 gateway endpoint on the subnet's route table, for layers;
//   - else over the subnet's default route to the internet.
//
// Each need ends met, unverified, or broken with the rule that explains
// it. The most specific broken rule (claimOrder) claims the subnet, so one
// broken way out gives one finding. On EC2 the container instance pulls,
// over its own network: the network rules look only at Fargate services.

// network analyses the ways out of one configuration.
type network struct {
	cfg   *model.Config
	eps   *endpointIndex
	mains map[string]*model.RouteTable // main tables AWS made, by VPC
	// acls caches network ACL decisions: services share subnets.
	acls map[aclCheck]aclDecision
}

func newNetwork(cfg *model.Config) *network {
	return &network{cfg: cfg, eps: indexEndpoints(cfg), mains: map[string]*model.RouteTable{}, acls: map[aclCheck]aclDecision{}}
}

// claimOrder ranks the network rules, most specific first: a broken
// default route explains a failure before a missing endpoint does, and a
// missing endpoint before a security group.
var claimOrder = []string{"CP212", "CP201", "CP203", "CP209", "CP206", "CP202", "CP208", "CP207", "CP204", "CP205", "CP210", "CP211"}

// origin is what needs a way out: the tasks of a Fargate service, or the
// container instances of an Auto Scaling group (network_instances.go),
// which pull the images of the EC2 tasks placed on them. The analysis
// reads only this, so any rule can ask it about any subnets, security
// groups and needs: build an origin (imageNeeds lists what an image
// takes) and call newNetwork(cfg).reach(o); or add it in analyse, so that
// every CP2xx rule reports its subnets.
type origin struct {
	// svc is the service, when the origin is one.
	svc *model.Service
	// kind and label name the origin in messages: "service",
	// "aws_ecs_service.app"; "instances of", "aws_autoscaling_group.ecs".
	kind, label string
	// runsIn begins the sentence that says where the origin runs, before
	// its subnets: "The service runs on Fargate in".
	runsIn string
	// key identifies the origin in findings.
	key     string
	subnets model.Refs
	groups  model.Refs
	// groupsAt is where a finding about the VPC's default group points when
	// groups are left out: the block that would hold them.
	groupsAt hcl.Range
	// publicIP says whether the origin gets a public IPv4 address; when
	// publicIPIn is set, the subnet decides and it says.
	publicIP   model.Fact[bool]
	publicIPIn func(sn *model.Subnet) model.Fact[bool]
	// ipv6InDualStack says whether the origin gets an IPv6 address in a
	// subnet with both an IPv4 and an IPv6 block (in an IPv6-only subnet it
	// always does). For Fargate tasks the ECS account setting dualStackIPv6
	// decides, which only the ECS API, the CLI and the SDKs set.
	ipv6InDualStack tri
	// clientPorts are the ephemeral port ranges the origin's connections
	// may come from, one per operating system it may run: network ACLs
	// must let the replies in.
	clientPorts []portRange
	// needs lists what the origin must reach from a subnet in region ("" when
	// the region is unknown).
	needs func(n *network, region string) []need
	// wayOut, when set, says why the origin's way out is unknown whatever
	// its subnets' routes say: instances that reach registries through an
	// HTTP proxy, or whose user data canpull cannot read.
	wayOut *verdict
}

// title names the origin in a headline: "service app", "instances of
// aws_autoscaling_group.ecs".
func (o *origin) title() string { return o.kind + " " + o.label }

// publicIPAt says whether the origin gets a public IPv4 address in a
// subnet.
func (o *origin) publicIPAt(sn *model.Subnet) model.Fact[bool] {
	if o.publicIPIn != nil && sn != nil {
		return o.publicIPIn(sn)
	}
	return o.publicIP
}

// serviceOrigin is the origin of a Fargate service's tasks; nil for other
// services, which the container instances serve.
func serviceOrigin(cfg *model.Config, s *model.Service) *origin {
	if launchOf(cfg, s) != launchFargate || s.Network == nil {
		return nil
	}
	return &origin{
		svc: s, kind: "service", label: name(s), key: s.Addr, runsIn: "The service runs on Fargate in",
		subnets: s.Network.Subnets, groups: s.Network.SecurityGroups, groupsAt: s.Network.Range,
		publicIP:        s.Network.AssignPublicIP,
		ipv6InDualStack: maybe, // the account setting dualStackIPv6, which only the ECS API sets
		clientPorts:     taskPorts(cfg, s),
		needs:           func(n *network, region string) []need { return n.taskNeeds(s, region) },
	}
}

// taskPorts are the ephemeral ports of a service's tasks: Linux's, or
// Windows's for a Windows family; both when the family is unknown.
func taskPorts(cfg *model.Config, s *model.Service) []portRange {
	td, ok := model.Resolve[*model.TaskDefinition](cfg, s.TaskDefinition)
	switch {
	case !ok || !td.OSFamily.Known:
		return []portRange{linuxPorts, windowsPorts}
	case strings.HasPrefix(strings.ToUpper(td.OSFamily.V), "WINDOWS"):
		return []portRange{windowsPorts}
	}
	return []portRange{linuxPorts} // LINUX, or left out: Fargate's default
}

// subnetPath is the way out of one subnet of an origin.
type subnetPath struct {
	o      *origin
	svc    *model.Service // o.svc
	subnet *model.Subnet  // nil when outside the configuration
	vpc    *model.VPC
	table  *model.RouteTable
	region string // where the tasks run; "" when unknown
	inet   internetWay
	// fam is what addresses the origin has in the subnet; inet6 and n64
	// are its IPv6 ways out: the ::/0 route and DNS64 + NAT64.
	fam   family
	inet6 ipv6Way
	n64   nat64Way
	tasks groupSet // the task's security groups
	// claim is the broken need that the subnet is reported for.
	claim *verdict
	// unknowns are the needs canpull could not judge.
	unknowns []verdict
}

type outcome int

const (
	met outcome = iota
	unverified
	broken
)

// verdict is what canpull concluded about one need in one subnet.
type verdict struct {
	rule string
	// reason says what is wrong in a few words, for the path line; subnets
	// of a service with the same rule and reason share a finding.
	reason string
	// at is where the finding points; zero means the service's subnets.
	at hcl.Range
	// objs are the objects followed beyond the subnet and route table.
	objs []model.Object
	need need
	// alt says why the VPC endpoints do not serve the need either, when a
	// broken default route claims it.
	alt string
	// fix is the fix a defect of an endpoint calls for, if any.
	fix string
	// what and how say which fact was missing, for an unverified need;
	// why, when set, says more, in the note's body.
	what, how, why string
	// via is the way a met need goes, for the network ACL checks.
	via *way
	// head says what is wrong in fewer words than reason, for a headline.
	head string
}

// reach follows every subnet of an origin: the analysis that every network
// rule reads.
func (n *network) reach(o *origin) []*subnetPath {
	if o.wayOut != nil {
		return []*subnetPath{{o: o, svc: o.svc, unknowns: []verdict{*o.wayOut}}}
	}
	if !o.subnets.AllKnown() {
		return []*subnetPath{{o: o, svc: o.svc, unknowns: []verdict{{rule: "CP201", at: o.subnets.Range,
			what: "the subnets of " + o.label + " are unknown", how: "give the variables they depend on values with --var-file or --var"}}}}
	}
	if len(o.subnets.Items) == 0 {
		// No subnet to follow, so nothing is verified. An empty list is
		// most often a root variable's default that the pipeline fills; an
		// Auto Scaling group without subnets uses the default VPC's.
		v := verdict{rule: "CP201", at: o.subnets.Range,
			what: "the subnets of " + o.label + " are an empty list", how: "give the variables they depend on values with --var-file or --var"}
		if !o.subnets.Set {
			v.what, v.how = o.label+" runs in the default subnets of the default VPC, which the configuration does not describe", "name the subnets (vpc_zone_identifier)"
		}
		return []*subnetPath{{o: o, svc: o.svc, unknowns: []verdict{v}}}
	}
	var out []*subnetPath
	for _, r := range o.subnets.Items {
		sn, ok := model.Resolve[*model.Subnet](n.cfg, r)
		if !ok {
			id := r.Value
			if id == "" {
				id = "a subnet of " + o.label
			}
			out = append(out, &subnetPath{o: o, svc: o.svc, unknowns: []verdict{{rule: "CP201", at: o.subnets.Range,
				what: id + " is not in the configuration", how: "scan the folder that defines the VPC too"}}})
			continue
		}
		out = append(out, n.follow(o, sn))
	}
	return out
}

// follow judges every need of an origin in one subnet.
func (n *network) follow(o *origin, sn *model.Subnet) *subnetPath {
	p := &subnetPath{o: o, svc: o.svc, subnet: sn, table: n.routeTableOf(sn)}
	p.vpc, _ = model.Resolve[*model.VPC](n.cfg, sn.VPC)
	if p.vpc != nil && p.vpc.Region.Known {
		p.region = p.vpc.Region.V
	}
	p.inet = n.internet(p)
	p.fam = familyOf(o, sn)
	if p.fam.v6 != no {
		p.inet6, p.n64 = n.internet6(p), n.nat64(p)
	}
	p.tasks = n.resolveGroups(o.groups, p.vpc)
	if len(o.groups.Items) == 0 && o.groups.Known &&
		len(p.tasks.groups) == 1 && p.tasks.groups[0].Implicit {
		p.tasks.at = o.groupsAt // security_groups is left out
	}
	rank := len(claimOrder)
	for _, nd := range o.needs(n, p.region) {
		switch o, v := n.judge(p, nd); o {
		case unverified:
			p.unknowns = append(p.unknowns, v)
		case broken:
			if r := ruleRank(v.rule); r < rank {
				rank, p.claim = r, &v
			}
		}
	}
	return p
}

func ruleRank(id string) int {
	for i, r := range claimOrder {
		if r == id {
			return i
		}
	}
	return len(claimOrder)
}

// judge follows one need, and the network ACLs on the way it goes.
func (n *network) judge(p *subnetPath, nd need) (outcome, verdict) {
	o, v := n.judgeWay(p, nd)
	if o == met && v.via != nil {
		return n.throughACLs(p, nd, *v.via)
	}
	return o, v
}

// judgeWay follows one need to the way it goes out.
func (n *network) judgeWay(p *subnetPath, nd need) (outcome, verdict) {
	switch p.fam.v4 {
	case no:
		return n.judgeIPv6Only(p, nd)
	case maybe:
		return unverified, verdict{rule: "CP201", need: nd, what: "whether " + p.subnet.Addr + " is IPv6-only (ipv6_native or cidr_block is unknown)",
			how: "give the variables they depend on values with --var-file or --var"}
	}
	switch nd.kind {
	case needUnknown:
		return n.judgeUnknown(p, nd)
	case needRegistry:
		return n.overInternet(p, nd, nil)
	}
	if nd.region != "" && p.region != "" && nd.region != p.region {
		if n.crossRegion(p.vpc, nd) {
			return unverified, verdict{rule: nd.rule, need: nd,
				what: "whether a cross-region endpoint serves " + nd.service + " in " + nd.region, how: ""}
		}
		// Endpoints serve their own region only.
		if nd.rule == "CP202" {
			nd.kind, nd.rule = needRegistry, "CP206" // ECR of another region
		}
		return n.overInternet(p, nd, nil)
	}
	region := nd.region
	if p.region == "" {
		region = ""
	}
	var f found
	if nd.kind == needLayers {
		f = n.findGateway(p.vpc, p.table, region)
	} else {
		f = n.findInterface(p.vpc, nd.service, region)
	}
	switch {
	case f.ep != nil && nd.kind == needLayers:
		return n.throughGateway(p, nd, f.ep)
	case f.ep != nil:
		return n.throughInterface(p, nd, f.ep)
	case f.unknown != "":
		return unverified, verdict{rule: nd.rule, need: nd, what: f.unknown,
			how: "give the variables it depends on values (--var-file, --var), run terraform init, or scan the folder that defines the VPC endpoints too"}
	}
	return n.overInternet(p, nd, f.defect)
}

// overInternet follows a need over the subnet's default route. d explains
// why no VPC endpoint serves it, when one comes close.
func (n *network) overInternet(p *subnetPath, nd need, d *defect) (outcome, verdict) {
	v := verdict{need: nd}
	w := p.inet
	switch w.state {
	case inetUnknown:
		v.rule, v.what, v.how, v.at = w.rule, w.what, w.how, w.at
		return unverified, v
	case inetOK:
		t := sgTarget{kind: toInternet, v6: mayUseIPv6(nd)}
		switch n.egressAllows(p.tasks, t) {
		case yes:
			v.via = &way{kind: wayInternet, nat: natOf(w)}
			return met, v
		case maybe:
			return unverified, groupsUnknown(v, p, "the internet")
		}
		v.rule, v.reason, v.at = "CP204", blockedReason(p.tasks, "the internet"), p.tasks.at
		v.objs = groupObjs(p.tasks)
		return broken, v
	}
	if o, v6, ok := n.viaIPv6(p, nd); ok {
		return o, v6 // a dual-stack subnet whose IPv6 way out may serve the need
	}
	if w.privateRoutes {
		// A route to another network (a transit gateway, a peering, a VPN)
		// may lead to a hub VPC whose endpoints serve this one through a
		// private hosted zone: the centralised-endpoint design. Neither the
		// hub nor the zone need be in this configuration.
		v.rule, v.what = nd.rule, "whether "+nd.what+" is reached through a route to another network"
		return unverified, v
	}
	ecr := n.ecrEndpoints(p.vpc)
	if ecr != no {
		v.alt = endpointGap(nd, d, p.region)
	}
	switch w.state {
	case inetNoPublicIP:
		v.rule, v.reason, v.at, v.objs = "CP203", "no public IP", p.o.publicIPAt(p.subnet).Range, []model.Object{w.target}
		return broken, v
	case inetNATBroken:
		v.rule, v.reason, v.at, v.objs = "CP209", w.natReason, w.natAt, w.natObjs
		return broken, v
	}
	none := "no ECR endpoint"
	if p.fam.v6 != no && p.inet6.state == inetOK && familyOfNeed(nd) == nameV4Only {
		none = "no ECR endpoint, and its ::/0 route carries IPv6 only"
	}
	return n.endpointsOnly(p, nd, d, v, ecr, none)
}

// endpointsOnly judges a need in a subnet whose only way out is VPC
// endpoints: which rule explains that none serves it. ecr says whether the
// VPC has ECR endpoints at all, and none is CP201's reason when it has none.
func (n *network) endpointsOnly(p *subnetPath, nd need, d *defect, v verdict, ecr tri, none string) (outcome, verdict) {
	switch {
	case ecr == no:
		v.rule, v.reason = "CP201", none
		return broken, v
	case ecr == maybe && nd.kind != needRegistry:
		v.rule, v.what = nd.rule, "whether VPC endpoints that canpull cannot see serve "+nd.what
		return unverified, v
	case nd.optional:
		v.rule, v.what = nd.rule, "whether the platform version of "+p.o.label+" needs the ecr.api endpoint"
		return unverified, v
	}
	v.rule, v.reason = nd.rule, endpointGap(nd, d, p.region)
	if nd.rule == "CP206" {
		v.at = nd.at // the image that endpoints cannot serve
	}
	if d != nil {
		v.at, v.fix = d.at, d.fix
		if d.obj != nil {
			v.objs = []model.Object{d.obj}
		}
	}
	return broken, v
}

// endpointGap says in a few words why no endpoint serves a need, for
// tasks in region.
func endpointGap(nd need, d *defect, region string) string {
	in := ""
	if nd.region != "" && nd.region != region {
		in = " for " + nd.region
	}
	switch {
	case d != nil:
		return d.reason
	case nd.kind == needRegistry && nd.image.Kind == image.PrivateECR && nd.image.DualStack:
		return "VPC endpoints do not serve the dual-stack host " + nd.image.Host
	case nd.kind == needRegistry && nd.image.Kind == image.PrivateECR:
		return "VPC endpoints serve ECR of their own region only, " + orText(region, "the tasks' region")
	case nd.kind == needRegistry:
		return "VPC endpoints do not serve " + nd.image.Kind.String()
	case nd.kind == needLayers:
		return "no S3 gateway endpoint" + in
	}
	return "no " + nd.service + " endpoint" + in
}

// judgeUnknown handles a need canpull cannot name (a task definition
// outside the configuration, an image from a variable). Without any way
// out an image fails wherever it comes from, and a group without any
// outbound TCP 443 blocks everything.
func (n *network) judgeUnknown(p *subnetPath, nd need) (outcome, verdict) {
	switch p.inet.state {
	case inetNone, inetNoPublicIP, inetNATBroken:
		if nd.pulled && !p.inet.privateRoutes && n.ecrEndpoints(p.vpc) == no {
			nd.kind = needRegistry
			return n.overInternet(p, nd, nil)
		}
	case inetOK:
		if n.egressAllows(p.tasks, sgTarget{kind: toInternet, v6: true}) == yes && p.vpc != nil &&
			len(n.eps.byVPC[p.vpc.Addr]) == 0 && len(n.eps.unplaced) == 0 && !n.cfg.MayLack(model.KindEndpoint) {
			// It can only go out over the internet, and may.
			return met, verdict{need: nd, via: &way{kind: wayInternet, nat: natOf(p.inet)}}
		}
	}
	if n.egressAllows(p.tasks, sgTarget{kind: toAnywhere}) == no {
		return broken, verdict{rule: "CP204", need: nd, reason: blockedReason(p.tasks, "anywhere"), at: p.tasks.at, objs: groupObjs(p.tasks)}
	}
	rule := "CP201"
	if !nd.pulled {
		rule = "CP207"
	}
	return unverified, verdict{rule: rule, need: nd, what: nd.unknownClause(), how: "give the variables it depends on values, or scan the folder that defines it too"}
}

// throughEndpoint checks the security groups between a task and the
// interface endpoint that serves a need.
func (n *network) throughEndpoint(p *subnetPath, nd need, ep *model.VPCEndpoint) (outcome, verdict) {
	v := verdict{need: nd}
	t := n.endpointTarget(ep, p.vpc)
	switch n.egressAllows(p.tasks, t) {
	case maybe:
		return unverified, groupsUnknown(v, p, ep.Addr)
	case no:
		v.rule, v.reason, v.at = "CP204", blockedReason(p.tasks, ep.Addr), p.tasks.at
		v.objs = append(groupObjs(p.tasks), ep)
		return broken, v
	}
	switch n.ingressAllows(t.epGroups, p.subnet, p.tasks) {
	case maybe:
		v.rule, v.what = "CP205", "whether the security groups of "+ep.Addr+" allow inbound TCP 443 from "+p.o.label
		return unverified, v
	case no:
		v.rule, v.at = "CP205", t.epGroups.at
		v.reason = "security " + plural(len(t.epGroups.groups), "group ", "groups ") + model.JoinNames(t.epGroups.names(), 0) +
			" of " + ep.Addr + " " + plural(len(t.epGroups.groups), "allows", "allow") + " no inbound TCP 443 from the task"
		v.objs = append([]model.Object{ep}, groupObjs(t.epGroups)...)
		return broken, v
	}
	v.via = &way{kind: wayEndpoint, ep: ep}
	return met, v
}

// throughGateway checks the S3 gateway endpoint that carries the layers:
// its policy, and the task's way to S3's addresses.
func (n *network) throughGateway(p *subnetPath, nd need, gw *model.VPCEndpoint) (outcome, verdict) {
	v := verdict{need: nd}
	switch layerPolicy(gw, p.region) {
	case policyUnknown:
		v.rule, v.what = "CP208", "whether the policy of "+gw.Addr+" allows the image layers"
		return unverified, v
	case policyDenies:
		v.rule, v.at, v.objs = "CP208", gw.Policy.Range, []model.Object{gw}
		v.reason = "the policy of " + gw.Addr + " does not allow s3:GetObject on " + layerBucketARN(p.region)
		return broken, v
	}
	switch n.egressAllows(p.tasks, sgTarget{kind: toS3, ep: gw}) {
	case maybe:
		return unverified, groupsUnknown(v, p, "S3")
	case no:
		v.rule, v.reason, v.at = "CP204", blockedReason(p.tasks, "the S3 prefix list of "+gw.Addr), p.tasks.at
		v.objs = append(groupObjs(p.tasks), gw)
		return broken, v
	}
	v.via = &way{kind: wayGateway, ep: gw}
	return met, v
}

// mayUseIPv6 reports whether a need's traffic may go over IPv6.
func mayUseIPv6(nd need) bool {
	switch {
	case nd.kind == needUnknown:
		return true
	case nd.kind != needRegistry:
		return false
	}
	return nd.image.DualStack || nd.image.Kind == image.Other || nd.image.Kind == image.PublicECR
}

// blockedReason says which groups block traffic to where.
func blockedReason(gs groupSet, where string) string {
	names := gs.names()
	if len(names) == 0 {
		return "the security groups allow no outbound TCP 443 to " + where
	}
	return "security " + plural(len(names), "group ", "groups ") + model.JoinNames(names, 0) + " " +
		plural(len(names), "allows", "allow") + " no outbound TCP 443 to " + where
}

func groupObjs(gs groupSet) []model.Object {
	var out []model.Object
	for _, g := range gs.groups {
		out = append(out, g)
	}
	return out
}

// groupsUnknown is CP204's note where the tasks' security groups, or their
// rules, are not all known: at the service's security groups, saying how
// to supply them (not "canpull does not follow this way out").
func groupsUnknown(v verdict, p *subnetPath, to string) verdict {
	v.rule, v.what = "CP204", "whether the security groups of "+p.o.label+" allow outbound TCP 443 to "+to
	v.how = "give the variables they depend on values with --var-file or --var, or scan the folder that defines the security groups too"
	v.at = p.o.groups.Range
	return v
}
