package rules

import (
	"fmt"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

// netFinding is one finding of a network rule: the subnets of an origin
// that fail the same way.
type netFinding struct {
	o     *origin
	svc   *model.Service // o.svc
	v     verdict
	paths []*subnetPath
}

// subnets names the finding's subnets: "subnet a", "subnets a and b".
func (nf *netFinding) subnets() string {
	names := nf.subnetNames()
	return plural(len(names), "subnet ", "subnets ") + model.JoinNames(names, 0)
}

// fewSubnets names them for a headline: "subnet a", "subnets a and b",
// "subnets a and 2 more".
func (nf *netFinding) fewSubnets() string {
	names := nf.subnetNames()
	return plural(len(names), "subnet ", "subnets ") + fewNames(names)
}

func (nf *netFinding) subnetNames() []string {
	var names []string
	for _, p := range nf.paths {
		names = append(names, p.subnet.Addr)
	}
	return names
}

// netText is what a network rule says of one finding: the headline (what
// fails, where), the body (the path, why, AWS's error) and the fix.
type netText struct {
	headline, detail, fix string
	// auto, when set, is the edit that --fix may apply, or why there is none.
	auto *autofix
}

// reportNetwork runs one network rule: it reports every subnet that the
// rule claims, one finding per origin and way of failing, and a note
// wherever the rule had to stop on an unknown fact.
func reportNetwork(pass *lint.Pass, describe func(nf *netFinding) netText) {
	id := pass.Rule.ID
	for _, op := range analyse(pass.Config) {
		o := op.o
		var found []*netFinding
		for _, p := range op.paths {
			for _, u := range p.unknowns {
				if u.rule == id {
					pass.Report(lint.Finding{Range: orRange(u.at, o.subnets.Range), Key: o.key, Message: u.what, Detail: u.why,
						Fix: orText(u.how, "nothing to supply: canpull does not follow this way out; check it by hand"), Unverified: true})
				}
			}
			if p.claim == nil || p.claim.rule != id {
				continue
			}
			if nf := sameWay(found, *p.claim); nf != nil {
				nf.paths = append(nf.paths, p)
				continue
			}
			found = append(found, &netFinding{o: o, svc: o.svc, v: *p.claim, paths: []*subnetPath{p}})
		}
		for _, nf := range found {
			txt := describe(nf)
			f := lint.Finding{
				Range:   orRange(nf.v.at, o.subnets.Range),
				Key:     o.key + "|" + nf.v.reason,
				Message: txt.headline,
				Detail:  txt.detail,
				Fix:     txt.fix,
				Related: nf.related(),
			}
			if txt.auto != nil {
				txt.auto.apply(&f)
			}
			pass.Report(f)
		}
	}
}

// originPaths are the ways out of one origin, subnet by subnet.
type originPaths struct {
	o     *origin
	paths []*subnetPath
}

// lastAnalysis keeps the ways out of the configuration analysed last: the
// network rules run one after another over the same configuration, and
// each needs all of it. The analysis is read-only once made.
var lastAnalysis struct {
	sync.Mutex
	cfg   *model.Config
	paths []originPaths
}

// analyse follows every origin of a configuration, once: the tasks of each
// Fargate service, and the container instances of each Auto Scaling group
// that EC2 services place tasks on.
func analyse(cfg *model.Config) []originPaths {
	lastAnalysis.Lock()
	defer lastAnalysis.Unlock()
	if lastAnalysis.cfg == cfg {
		return lastAnalysis.paths
	}
	n := newNetwork(cfg)
	var paths []originPaths
	for _, s := range cfg.Services {
		if o := serviceOrigin(cfg, s); o != nil {
			paths = append(paths, originPaths{o: o, paths: n.reach(o)})
		}
	}
	for _, o := range instanceOrigins(cfg) {
		paths = append(paths, originPaths{o: o, paths: n.reach(o)})
	}
	lastAnalysis.cfg, lastAnalysis.paths = cfg, paths
	return paths
}

// sameWay finds the finding whose subnets fail the way v says.
func sameWay(fs []*netFinding, v verdict) *netFinding {
	for _, nf := range fs {
		if nf.v.reason == v.reason && nf.v.at == v.at {
			return nf
		}
	}
	return nil
}

// related lists each subnet's way out: the path in one line, then the
// route table, the default route, its target, and what else was followed.
func (nf *netFinding) related() []lint.Related {
	var rel []lint.Related
	add := func(r hcl.Range, msg string) {
		rel = append(rel, lint.Related{Range: r, Message: msg})
	}
	for _, p := range nf.paths {
		line, path := pathLine(p, nf.v)
		rel = append(rel, lint.Related{Range: p.subnet.Range, Message: line, Path: path})
		if t := p.table; t != nil && t.Range != p.subnet.Range {
			add(t.Range, "route table "+tableName(t))
		}
		if p.inet.route != nil && p.fam.v4 != no {
			add(p.inet.route.Range, "the default route")
		}
		if p.inet6.route != nil {
			add(p.inet6.route.Range, "the IPv6 default route (::/0)")
		}
		if p.n64.route != nil {
			add(p.n64.route.Range, "the NAT64 route (64:ff9b::/96)")
		}
		if p.inet.target != nil && p.fam.v4 != no {
			m := model.MetaOf(p.inet.target)
			add(m.Range, m.Addr)
		}
		for _, o := range nf.v.objs {
			if o != nil {
				add(model.MetaOf(o).Range, describeObject(o))
			}
		}
	}
	return rel
}

// pathLine describes one subnet's way out in one line, "service app →
// subnet private-a → route table private: no 0.0.0.0/0 route, no ecr.dkr
// endpoint", and as a structure for output that draws it.
func pathLine(p *subnetPath, v verdict) (string, *lint.PullPath) {
	pp := &lint.PullPath{Service: p.o.label, Subnet: p.subnet.Addr, Problem: v.reason}
	line := p.o.kind + " " + pp.Service + " → subnet " + pp.Subnet
	if p.table != nil {
		pp.RouteTable = tableName(p.table)
		line += " → route table " + pp.RouteTable
	}
	line += ": "
	switch {
	case p.fam.v4 == no:
		line += "IPv6-only subnet, "
		if r := p.inet6.route; r != nil {
			pp.Destination, pp.Target = "::/0", orText(r.Target.Addr, orText(r.Target.Value, r.TargetKind.String()))
			line += "::/0 → " + pp.Target + ", "
		}
	case p.inet.route != nil:
		pp.Destination, pp.Target = "0.0.0.0/0", p.inet.targetName
		if pp.Target == "" {
			pp.Target = p.inet.route.TargetKind.String()
		}
		line += "0.0.0.0/0 → " + pp.Target + ", "
	case p.inet.state == inetNone:
		line += "no 0.0.0.0/0 route, "
	}
	return line + v.reason, pp
}

// describeObject names an object of a path for a related location.
func describeObject(o model.Object) string {
	switch o := o.(type) {
	case *model.NATGateway:
		return "NAT gateway " + o.Addr
	case *model.VPCEndpoint:
		if _, svc, ok := serviceOf(o); ok {
			return fmt.Sprintf("VPC endpoint %s (%s)", o.Addr, svc)
		}
		return "VPC endpoint " + o.Addr
	case *model.SecurityGroup:
		return "security group " + groupName(o)
	case *model.Subnet:
		return "subnet " + o.Addr
	case *model.RouteTable:
		return "route table " + tableName(o)
	case *model.InternetGateway:
		return "internet gateway " + o.Addr
	}
	return model.MetaOf(o).Addr
}

func orRange(r, def hcl.Range) hcl.Range {
	if r.Filename == "" {
		return def
	}
	return r
}

func orText(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
