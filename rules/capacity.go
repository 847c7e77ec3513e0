package rules

import (
	"bytes"
	"encoding/base64"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

// Where the EC2 tasks of a service run, and what the container instances
// there pull with. On EC2 the container agent of the instance pulls the
// images, over the instance's network, with the task's execution role when
// it has one and the instance's own role when it does not. canpull follows
// a service to its instances: capacity provider → Auto Scaling group →
// launch template → instance profile → role.

// onEC2 reports whether a service provably runs its tasks on EC2 container
// instances (not Fargate, not external instances).
func onEC2(cfg *model.Config, s *model.Service) bool {
	if launchOf(cfg, s) != launchEC2 {
		return false
	}
	return !(s.LaunchType.Known && strings.EqualFold(s.LaunchType.V, "EXTERNAL"))
}

// placement is the Auto Scaling groups that a service's tasks are
// provably placed on. It need not be all of them: tasks placed on any of
// these fail if its instances cannot pull.
type placement struct {
	groups []*model.AutoScalingGroup
	// via says, for each group, how the service reaches it: "capacity
	// provider aws_ecs_capacity_provider.ec2", "cluster aws_ecs_cluster.main".
	via map[*model.AutoScalingGroup]string
	// at is where each group is chosen: the strategy's capacity provider,
	// or the service's launch type.
	at map[*model.AutoScalingGroup]hcl.Range
}

func (pl *placement) add(g *model.AutoScalingGroup, via string, at hcl.Range) {
	if pl.via == nil {
		pl.via, pl.at = map[*model.AutoScalingGroup]string{}, map[*model.AutoScalingGroup]hcl.Range{}
	}
	if _, ok := pl.via[g]; ok {
		return
	}
	pl.groups = append(pl.groups, g)
	pl.via[g], pl.at[g] = via, at
}

// placementOf finds the groups a service on EC2 places tasks on: the Auto
// Scaling groups of the capacity providers its strategy (or its cluster's
// default strategy) gives a weight or a base; with the EC2 launch type,
// the groups of the cluster's capacity providers and those whose user data
// registers their instances with the cluster (ECS_CLUSTER).
func placementOf(cfg *model.Config, s *model.Service) placement {
	var pl placement
	if !onEC2(cfg, s) {
		return pl
	}
	cluster, _ := model.Resolve[*model.Cluster](cfg, s.Cluster)
	st := s.CapacityStrategy
	if s.LaunchType.Set && s.LaunchType.V != "" {
		st = model.Strategy{Known: true}
	} else if len(st.Items) == 0 && cluster != nil {
		st = cluster.DefaultStrategy
	}
	if !st.Known {
		return pl
	}
	for _, it := range st.Items {
		if !it.Provider.Known || !it.Weight.Known || !it.Base.Known || it.Weight.V == 0 && it.Base.V == 0 {
			continue
		}
		if cp := providerNamed(cfg, it.Provider.V); cp != nil {
			if g, ok := model.Resolve[*model.AutoScalingGroup](cfg, cp.AutoScalingGroup); ok {
				pl.add(g, "capacity provider "+cp.Addr, it.Provider.Range)
			}
		}
	}
	if len(st.Items) > 0 || cluster == nil {
		return pl
	}
	// The EC2 launch type: any instance registered with the cluster.
	if cluster.CapacityProviders.Known {
		for _, name := range cluster.CapacityProviders.V {
			if cp := providerNamed(cfg, name); cp != nil {
				if g, ok := model.Resolve[*model.AutoScalingGroup](cfg, cp.AutoScalingGroup); ok {
					pl.add(g, "capacity provider "+cp.Addr+" of cluster "+cluster.Addr, s.LaunchType.Range)
				}
			}
		}
	}
	for _, g := range cfg.AutoScalingGroups {
		for _, lt := range templatesOf(cfg, g) {
			ud := readUserData(lt)
			named := cluster.Name.Known && cluster.Name.V != "" && ud.cluster == cluster.Name.V
			if ud.known && (named || ud.clusterAddr == cluster.Addr) {
				pl.add(g, "cluster "+cluster.Addr+" (ECS_CLUSTER in the user data of "+lt.Addr+")", s.LaunchType.Range)
			}
		}
	}
	return pl
}

// providerNamed finds the capacity provider of a name, or of the token
// that stands for a provider's name (CloudFormation's Ref).
func providerNamed(cfg *model.Config, name string) *model.CapacityProvider {
	if isFargateProvider(name) {
		return nil
	}
	if t, ok := model.ParseToken(name); ok {
		cp, _ := cfg.Lookup(t.Addr).(*model.CapacityProvider)
		return cp
	}
	for _, cp := range cfg.CapacityProviders {
		if cp.Name.Known && cp.Name.V == name {
			return cp
		}
	}
	return nil
}

// templatesOf lists the launch templates of a group that are in the
// configuration.
func templatesOf(cfg *model.Config, g *model.AutoScalingGroup) []*model.LaunchTemplate {
	var out []*model.LaunchTemplate
	seen := map[*model.LaunchTemplate]bool{}
	for _, r := range g.LaunchTemplates {
		if lt, ok := model.Resolve[*model.LaunchTemplate](cfg, r); ok && !seen[lt] {
			seen[lt] = true
			out = append(out, lt)
		}
	}
	return out
}

// allTemplates lists every launch template of a group; known is false
// when one of them is not in the configuration or cannot be determined.
func allTemplates(cfg *model.Config, g *model.AutoScalingGroup) (lts []*model.LaunchTemplate, known bool) {
	known = g.LaunchTemplatesKnown && len(g.LaunchTemplates) > 0
	for _, r := range g.LaunchTemplates {
		if _, ok := model.Resolve[*model.LaunchTemplate](cfg, r); !ok {
			known = false
		}
	}
	return templatesOf(cfg, g), known
}

// userData is what canpull reads in a launch template's user data.
type userData struct {
	// known is false when the user data cannot be read: an unknown value,
	// base64 that does not decode, a compressed or multi-part archive.
	known bool
	// proxy is true when it sets an HTTP proxy (HTTP_PROXY, HTTPS_PROXY):
	// for the container agent in /etc/ecs/ecs.config, or for Docker.
	proxy bool
	// cluster is the cluster its ECS_CLUSTER line names, if any; or
	// clusterAddr, the resource whose name it is.
	cluster, clusterAddr string
	// builds are the images it makes on the instance (docker build -t
	// NAME, docker tag SOURCE NAME); pullAlways is true when it sets
	// ECS_IMAGE_PULL_BEHAVIOR=always, so the agent never uses them.
	builds     []string
	pullAlways bool
}

var (
	proxyRE   = regexp.MustCompile(`(?i)\bhttps?_proxy\s*=`)
	clusterRE = regexp.MustCompile(`(?m)\bECS_CLUSTER\s*=\s*['"]?([A-Za-z0-9_-]+)`)
	// buildRE finds the name of an image built or tagged on the instance:
	// docker build [options] -t NAME, --tag NAME, --tag=NAME;
	// docker tag SOURCE NAME.
	buildRE  = regexp.MustCompile(`(?m)\bdocker\s+(?:image\s+)?build\b[^\n]*?\s(?:-t|--tag)[\s=]+['"]?([^\s'"]+)|\bdocker\s+(?:image\s+)?tag\s+\S+\s+['"]?([^\s'"]+)`)
	alwaysRE = regexp.MustCompile(`\bECS_IMAGE_PULL_BEHAVIOR\s*=\s*['"]?always\b`)
)

// readUserData reads a launch template's user data. Left out, it is
// known and sets nothing.
func readUserData(lt *model.LaunchTemplate) userData {
	f := lt.UserData
	if !f.Known {
		return userData{known: !f.Set && f.Range.Filename == ""} // left out: none
	}
	text := f.V
	if lt.UserDataBase64 && text != "" {
		if model.HasToken(text) {
			return userData{}
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
		if err != nil {
			return userData{}
		}
		text = string(raw)
	}
	if bytes.HasPrefix([]byte(text), []byte{0x1f, 0x8b}) {
		return userData{} // gzip: canpull does not unpack it
	}
	ud := userData{known: true, proxy: proxyRE.MatchString(text), pullAlways: alwaysRE.MatchString(text)}
	for _, m := range buildRE.FindAllStringSubmatch(text, -1) {
		ud.builds = append(ud.builds, m[1]+m[2])
	}
	if m := clusterRE.FindStringSubmatch(text); m != nil {
		ud.cluster = m[1]
	} else if i := strings.Index(text, "ECS_CLUSTER="); i >= 0 {
		if ts := model.Tokens(text[i:]); len(ts) > 0 && ts[0].Start == len("ECS_CLUSTER=") {
			ud.clusterAddr = ts[0].Addr // ECS_CLUSTER=${Cluster}
		}
	}
	return ud
}

// instanceRole is the role that the instances launched from a template
// have, as far as the configuration says.
type instanceRole struct {
	lt      *model.LaunchTemplate
	profile *model.InstanceProfile
	role    *model.Role
	cfg     *model.Config // where the role is defined
	// gap says why the role is unknown, when it is, and how says how to
	// supply it.
	gap, how string
}

// instanceRoles walks from a task definition's services on EC2 to the
// distinct roles of the instances that pull its images (placement → Auto
// Scaling group → launch template → role) and calls found once per role. A
// template whose role canpull cannot follow gives a note; unplaced, when not
// nil, is called for a service whose instances are not in the
// configuration.
func instanceRoles(pass *lint.Pass, td *model.TaskDefinition, unplaced func(s *model.Service),
	found func(s *model.Service, pl placement, g *model.AutoScalingGroup, lt *model.LaunchTemplate, ir instanceRole)) {
	cfg := pass.Config
	ix := rolesOf(pass)
	done := map[*model.Role]bool{}
	for _, s := range servicesOf(cfg, td) {
		if !onEC2(cfg, s) {
			continue
		}
		pl := placementOf(cfg, s)
		if len(pl.groups) == 0 && unplaced != nil {
			unplaced(s)
			continue
		}
		for _, g := range pl.groups {
			lts, _ := allTemplates(cfg, g)
			for _, lt := range lts {
				ir := roleOfTemplate(ix, cfg, lt)
				if ir.role == nil {
					noteUnknown(pass, lt.InstanceProfile.Range, td.Addr, ir.gap,
						"The instances of "+g.Addr+" pull the images of "+name(td)+" with their own role, which canpull cannot follow.", ir.how)
					continue
				}
				if done[ir.role] {
					continue
				}
				done[ir.role] = true
				found(s, pl, g, lt, ir)
			}
		}
	}
}

// roleOfTemplate follows a launch template to its instances' role.
func roleOfTemplate(ix *roleIndex, cfg *model.Config, lt *model.LaunchTemplate) instanceRole {
	ir := instanceRole{lt: lt, how: "scan the folder that defines the instance profile and its role too"}
	unknownValue := "give the variables it depends on values with --var-file or --var"
	ref := lt.InstanceProfile
	switch {
	case ref.IsZero():
		ir.gap = "launch template " + lt.Addr + " gives its instances no instance profile"
		return ir
	case !ref.Known:
		ir.gap, ir.how = "the instance profile of "+lt.Addr+" is unknown", unknownValue
		return ir
	}
	p, ok := model.Resolve[*model.InstanceProfile](cfg, ref)
	if !ok {
		ir.gap = "instance profile " + orText(ref.Value, ref.Addr) + " of " + lt.Addr + " is not in the configuration"
		return ir
	}
	ir.profile = p
	if !p.Role.Known {
		ir.gap, ir.how = "the role of instance profile "+p.Addr+" is unknown", unknownValue
		return ir
	}
	r, rc := ix.find(cfg, p.Role)
	if r == nil {
		ir.gap = "role " + orText(p.Role.Value, p.Role.Addr) + " of instance profile " + p.Addr + " is not in the configuration"
		return ir
	}
	ir.role, ir.cfg = r, rc
	return ir
}

// sortedGroups orders groups by address, for deterministic output.
func sortedGroups(gs []*model.AutoScalingGroup) []*model.AutoScalingGroup {
	out := append([]*model.AutoScalingGroup(nil), gs...)
	sort.Slice(out, func(i, j int) bool { return out[i].Addr < out[j].Addr })
	return out
}
