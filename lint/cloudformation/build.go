package cloudformation

import (
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// builder turns the evaluated resources of one group of stacks into a
// model configuration, the way the Terraform adapter's builder does for a
// root module: same conventions for ranges, tokens, unknowns and
// Config.Incomplete.
type builder struct {
	l   *loader
	cfg *model.Config
	// byType holds the resources that certainly exist, by type, in
	// template order.
	byType map[string][]*resource
	// unknownTypes are types with a resource whose Condition is unknown:
	// anything it would add is unknown too.
	unknownTypes map[string]bool
	typeOf       map[string]string
	names        map[string]map[string]string
}

// build makes one configuration per group of root stacks.
func (l *loader) build() {
	var groups []*stack
	members := map[*stack][]*stack{}
	for _, r := range l.roots {
		g := l.groupOf(r)
		if members[g] == nil {
			groups = append(groups, g)
		}
		members[g] = append(members[g], r)
	}
	for _, g := range groups {
		l.res.Configs = append(l.res.Configs, l.buildGroup(members[g]))
	}
}

func (l *loader) buildGroup(roots []*stack) *model.Config {
	b := &builder{l: l, cfg: &model.Config{Source: model.SourceCloudFormation, Dir: filepath.Dir(roots[0].file.name)},
		byType: map[string][]*resource{}, unknownTypes: map[string]bool{}, typeOf: map[string]string{}, names: map[string]map[string]string{}}
	inGroup := map[*stack]bool{}
	for _, r := range roots {
		inGroup[r] = true
		for k := range l.incomplete[r] {
			b.cfg.SetIncomplete(k)
		}
	}
	files := map[string]bool{}
	for _, st := range l.stacks {
		if !inGroup[rootOf(st)] {
			continue
		}
		if !files[st.file.name] {
			files[st.file.name] = true
			b.cfg.Files = append(b.cfg.Files, st.file.name)
		}
		for _, r := range st.resources {
			switch r.exists {
			case triTrue:
				b.byType[r.typ] = append(b.byType[r.typ], r)
				b.typeOf[r.addr] = r.typ
			case triUnknown:
				b.unknownTypes[r.typ] = true
			}
		}
	}
	for typ := range b.unknownTypes {
		if k := kindOf[typ]; k != "" {
			b.cfg.SetIncomplete(k)
		}
	}
	b.cfg.Account, b.cfg.Region = roots[0].account, roots[0].region
	for _, r := range roots[1:] {
		if r.account != b.cfg.Account {
			b.cfg.Account = model.Fact[string]{Range: b.cfg.Account.Range}
		}
		if r.region != b.cfg.Region {
			b.cfg.Region = model.Fact[string]{Range: b.cfg.Region.Range}
		}
	}
	b.indexNames()
	b.network()
	b.iam()
	b.secrets()
	b.ecr()
	b.capacity()
	b.guardDuty()
	b.ecs()
	b.ignores()
	b.cfg.SortObjects()
	return b.cfg
}

// kindOf maps resource types to the kinds of Config.Incomplete.
var kindOf = map[string]string{
	"AWS::EC2::VPCEndpoint": model.KindEndpoint, "AWS::ECR::Repository": model.KindRepository,
	"AWS::ECR::RegistryPolicy": model.KindPolicy, "AWS::EC2::Route": model.KindRoute, "AWS::EC2::RouteTable": model.KindRoute,
	"AWS::EC2::SecurityGroup": model.KindSecurityGroup, "AWS::CloudFormation::Stack": model.KindAll,
	"AWS::EC2::NetworkAcl": model.KindNetworkACL, "AWS::EC2::NetworkAclEntry": model.KindNetworkACL,
	"AWS::EC2::SubnetNetworkAclAssociation": model.KindNetworkACL,
	"AWS::EC2::DHCPOptions":                 model.KindDHCPOptions, "AWS::EC2::VPCDHCPOptionsAssociation": model.KindDHCPOptions,
	"AWS::ECR::RepositoryCreationTemplate": model.KindCreationTemplate, "AWS::ECR::PullThroughCacheRule": model.KindCacheRule,
}

// meta fills the common part of an object.
func (b *builder) meta(r *resource) model.Meta {
	return model.Meta{Addr: r.addr, Range: r.keyRange, Account: r.st.account, Region: r.st.region}
}

// nameKeys are the properties that name a resource, for references by a
// literal name instead of Ref.
var nameKeys = map[string]string{
	"AWS::ECS::Cluster": "ClusterName", "AWS::ECS::TaskDefinition": "Family", "AWS::IAM::Role": "RoleName",
	"AWS::IAM::ManagedPolicy": "ManagedPolicyName", "AWS::ECR::Repository": "RepositoryName",
	"AWS::SecretsManager::Secret": "Name", "AWS::SSM::Parameter": "Name", "AWS::KMS::Alias": "AliasName",
	"AWS::Logs::LogGroup": "LogGroupName", "AWS::IAM::InstanceProfile": "InstanceProfileName",
	"AWS::AutoScaling::AutoScalingGroup": "AutoScalingGroupName", "AWS::EC2::LaunchTemplate": "LaunchTemplateName",
	"AWS::AutoScaling::LaunchConfiguration": "LaunchConfigurationName", "AWS::ECS::CapacityProvider": "Name",
}

func (b *builder) indexNames() {
	for typ, key := range nameKeys {
		for _, r := range b.byType[typ] {
			f := b.props(r).str(key, "")
			if !f.Known || f.V == "" {
				continue
			}
			if b.names[typ] == nil {
				b.names[typ] = map[string]string{}
			}
			if prev, dup := b.names[typ][f.V]; !dup {
				b.names[typ][f.V] = r.addr
			} else if prev != r.addr {
				b.names[typ][f.V] = "" // two resources by one name: which is meant is unknown
			}
		}
	}
}

// obj is an evaluated object of properties. def is where a value that is
// left out points: the resource's logical ID, or the key of the enclosing
// property.
type obj struct {
	v   *jsontree.Value
	def hcl.Range
}

func (b *builder) props(r *resource) obj {
	if r.props == nil {
		return obj{v: &jsontree.Value{Kind: jsontree.Object, Range: r.keyRange}, def: r.keyRange}
	}
	return obj{v: r.props, def: r.keyRange}
}

// known reports whether the object itself is known (not an unknown
// Fn::If, for one).
func (o obj) known() bool { return o.v.Kind == jsontree.Object }

// get returns a member; when the object itself is unknown it returns an
// unknown member.
func (o obj) get(key string) *jsontree.Member {
	if o.v.Kind == jsontree.Unknown {
		return &jsontree.Member{Key: key, KeyRange: o.v.Range, Value: o.v}
	}
	return o.v.Get(key)
}

// memberRange is a property from its key to the end of its value.
func memberRange(m *jsontree.Member) hcl.Range {
	if m.KeyRange.Filename != m.Value.Range.Filename || m.Value.Range.End.Byte < m.KeyRange.Start.Byte {
		return m.KeyRange
	}
	return hcl.RangeBetween(m.KeyRange, m.Value.Range)
}

// child is a nested object property. present is false when it is left
// out.
func (o obj) child(key string) (c obj, present bool) {
	m := o.get(key)
	if m == nil {
		return obj{}, false
	}
	return obj{v: m.Value, def: m.KeyRange}, true
}

// str reads a string property; tokens and pseudo parameters without a
// value make it unknown.
func (o obj) str(key, def string) model.Fact[string] {
	m := o.get(key)
	if m == nil || m.Value.Kind == jsontree.Null {
		return model.DefaultFact(def, o.def)
	}
	s, ok := scalarString(m.Value)
	if !ok || model.HasToken(s) {
		return model.UnknownFact[string](memberRange(m))
	}
	return model.KnownFact(s, memberRange(m))
}

// boolean reads a boolean property: true or false, or the strings
// CloudFormation reads as such.
func (o obj) boolean(key string, def bool) model.Fact[bool] {
	m := o.get(key)
	if m == nil || m.Value.Kind == jsontree.Null {
		return model.DefaultFact(def, o.def)
	}
	s, ok := scalarString(m.Value)
	switch {
	case ok && strings.EqualFold(s, "true"):
		return model.KnownFact(true, memberRange(m))
	case ok && strings.EqualFold(s, "false"):
		return model.KnownFact(false, memberRange(m))
	}
	return model.UnknownFact[bool](memberRange(m))
}

// integer reads a whole number, written as a number or a string.
func (o obj) integer(key string, def int) model.Fact[int] {
	m := o.get(key)
	if m == nil || m.Value.Kind == jsontree.Null {
		return model.DefaultFact(def, o.def)
	}
	s, ok := scalarString(m.Value)
	if !ok {
		return model.UnknownFact[int](memberRange(m))
	}
	n, ok := atoi(s)
	if !ok {
		return model.UnknownFact[int](memberRange(m))
	}
	return model.KnownFact(n, memberRange(m))
}

func atoi(s string) (int, bool) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if s == "" || len(s) > 9 || strings.Trim(s, "0123456789") != "" {
		return 0, false
	}
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// strs reads a list of strings.
func (o obj) strs(key string) model.Fact[[]string] {
	m := o.get(key)
	if m == nil || m.Value.Kind == jsontree.Null {
		return model.DefaultFact[[]string](nil, o.def)
	}
	if m.Value.Kind != jsontree.Array {
		return model.UnknownFact[[]string](memberRange(m))
	}
	out := []string{}
	for _, it := range m.Value.Items {
		s, ok := scalarString(it)
		if !ok || model.HasToken(s) {
			return model.UnknownFact[[]string](memberRange(m))
		}
		out = append(out, s)
	}
	return model.KnownFact(out, memberRange(m))
}

// doc reads a policy document: an object, or a JSON string. Tokens of
// resources stay in it; anything unknown makes it unknown.
func (o obj) doc(key string) model.Fact[string] {
	m := o.get(key)
	if m == nil || m.Value.Kind == jsontree.Null {
		return model.Fact[string]{Range: o.def}
	}
	rng := memberRange(m)
	if !whollyKnown(m.Value) {
		return model.UnknownFact[string](rng)
	}
	if m.Value.Kind == jsontree.String {
		return model.KnownFact(m.Value.Str, rng)
	}
	s, ok, _ := encodeJSON(m.Value)
	if !ok {
		return model.UnknownFact[string](rng)
	}
	return model.KnownFact(s, rng)
}

// ref turns a property into a reference to a resource of one of types: a
// token that names it (Ref, Fn::GetAtt), or a literal ID, ARN or name.
func (b *builder) ref(o obj, key string, types ...string) model.Ref {
	m := o.get(key)
	if m == nil || m.Value.Kind == jsontree.Null {
		return model.Ref{}
	}
	return b.refValue(m.Value, memberRange(m), types...)
}

func (b *builder) refValue(v *jsontree.Value, rng hcl.Range, types ...string) model.Ref {
	s, ok := scalarString(v)
	if !ok {
		return model.Ref{Range: rng}
	}
	return b.refString(s, rng, types...)
}

func (b *builder) refString(s string, rng hcl.Range, types ...string) model.Ref {
	if toks := model.Tokens(s); len(toks) > 0 {
		for _, t := range toks {
			if contains(types, b.typeOf[t.Addr]) {
				return model.Ref{Addr: t.Addr, Known: true, Range: rng}
			}
		}
		return model.Ref{Range: rng} // computed by something canpull does not model
	}
	r := model.Ref{Value: s, Known: true, Range: rng}
	for _, typ := range types {
		for _, id := range identifiers(s) {
			if addr, ok := b.names[typ][id]; ok {
				if addr == "" {
					return model.Ref{Range: rng}
				}
				r.Addr = addr
				return r
			}
		}
	}
	return r
}

// refs turns a list property into references.
func (b *builder) refs(o obj, key string, ref func(*jsontree.Value, hcl.Range) model.Ref) model.Refs {
	m := o.get(key)
	if m == nil || m.Value.Kind == jsontree.Null {
		return model.Refs{Known: true, Range: o.def}
	}
	rng := memberRange(m)
	out := model.Refs{Set: true, Range: rng}
	if m.Value.Kind != jsontree.Array {
		return out
	}
	out.Known = true
	for _, it := range m.Value.Items {
		out.Items = append(out.Items, ref(it, rng))
	}
	return out
}

func (b *builder) typed(types ...string) func(*jsontree.Value, hcl.Range) model.Ref {
	return func(v *jsontree.Value, rng hcl.Range) model.Ref { return b.refValue(v, rng, types...) }
}

// identifiers lists the names a literal may identify a resource by:
// itself, and for an ARN the name inside it.
func identifiers(s string) []string {
	ids := []string{s}
	if strings.HasPrefix(s, "arn:") {
		parts := strings.SplitN(s, ":", 6)
		if len(parts) == 6 {
			res := parts[5]
			switch {
			case strings.HasPrefix(res, "role/"), strings.HasPrefix(res, "policy/"), strings.HasPrefix(res, "cluster/"),
				strings.HasPrefix(res, "repository/"):
				ids = append(ids, res[strings.LastIndexByte(res, '/')+1:])
			case strings.HasPrefix(res, "task-definition/"):
				fam := strings.TrimPrefix(res, "task-definition/")
				if i := strings.LastIndexByte(fam, ':'); i > 0 {
					fam = fam[:i]
				}
				ids = append(ids, fam)
			case strings.HasPrefix(res, "alias/"):
				ids = append(ids, res)
			case strings.HasPrefix(res, "instance-profile/"):
				ids = append(ids, res[strings.LastIndexByte(res, '/')+1:])
			case strings.HasPrefix(res, "autoScalingGroup:") && strings.Contains(res, ":autoScalingGroupName/"):
				ids = append(ids, res[strings.Index(res, ":autoScalingGroupName/")+len(":autoScalingGroupName/"):])
			}
		}
	} else if i := strings.LastIndexByte(s, ':'); i > 0 && !strings.Contains(s, "/") {
		ids = append(ids, s[:i]) // family:revision
	}
	return ids
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ignores reads the suppressions written in the resources' Metadata:
// {canpull: {ignore: [{id: CP203, reason: …}]}}.
func (b *builder) ignores() {
	for _, st := range b.l.stacks {
		for _, r := range st.resources {
			if b.typeOf[r.addr] == "" {
				continue
			}
			md := r.decl.Get("Metadata")
			if md == nil {
				continue
			}
			cm := md.Value.Get("canpull")
			if cm == nil {
				continue
			}
			im := cm.Value.Get("ignore")
			if im == nil || im.Value.Kind != jsontree.Array {
				b.l.diags = append(b.l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid canpull metadata",
					Detail:  "Metadata.canpull takes ignore: a list of {id: RULE, reason: TEXT}.",
					Subject: cm.KeyRange.Ptr()})
				continue
			}
			for _, it := range im.Value.Items {
				idm := it.Get("id")
				if idm == nil || idm.Value.Kind != jsontree.String || idm.Value.Str == "" {
					b.l.diags = append(b.l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid canpull metadata",
						Detail:  "Each entry of Metadata.canpull.ignore names a rule: {id: CP203, reason: why}.",
						Subject: it.Range.Ptr()})
					continue
				}
				reason := ""
				if rm := it.Get("reason"); rm != nil && rm.Value.Kind == jsontree.String {
					reason = rm.Value.Str
				}
				b.l.res.Ignores = append(b.l.res.Ignores, Ignore{Rule: idm.Value.Str, Reason: reason, Range: it.Range, Covers: r.span})
			}
		}
	}
}
