package cloudformation

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/ecsschema"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/taskdef"
)

var (
	clusterTypes = []string{"AWS::ECS::Cluster"}
	taskdefTypes = []string{"AWS::ECS::TaskDefinition"}
)

func (b *builder) ecs() {
	clusters := map[string]*model.Cluster{}
	for _, r := range b.byType["AWS::ECS::Cluster"] {
		p := b.props(r)
		c := &model.Cluster{Meta: b.meta(r), Name: p.str("ClusterName", ""), DefaultStrategy: b.strategy(p, "DefaultCapacityProviderStrategy"),
			CapacityProviders: b.providerNames(p, "CapacityProviders"), Tags: tags(p, "Tags")}
		if !c.Name.Set {
			c.Name = model.Fact[string]{Range: r.keyRange}
		}
		clusters[r.addr] = c
		b.cfg.Add(c)
	}
	unknownDefaults := b.unknownTypes["AWS::ECS::ClusterCapacityProviderAssociations"]
	for _, r := range b.byType["AWS::ECS::ClusterCapacityProviderAssociations"] {
		p := b.props(r)
		cr := b.ref(p, "Cluster", clusterTypes...)
		c := clusters[cr.Addr]
		if c == nil {
			unknownDefaults = unknownDefaults || !cr.Known
			continue
		}
		c.DefaultStrategy = b.strategy(p, "DefaultCapacityProviderStrategy")
		c.CapacityProviders = b.providerNames(p, "CapacityProviders")
	}
	if unknownDefaults {
		for _, c := range clusters {
			c.DefaultStrategy.Known = false
			c.CapacityProviders = model.UnknownFact[[]string](c.CapacityProviders.Range)
		}
	}
	for _, r := range b.byType["AWS::ECS::TaskDefinition"] {
		b.taskDefinition(r)
	}
	for _, r := range b.byType["AWS::ECS::Service"] {
		b.service(r)
	}
}

// strategy reads a capacity provider strategy.
func (b *builder) strategy(p obj, key string) model.Strategy {
	m := p.get(key)
	if m == nil || m.Value.Kind == jsontree.Null {
		return model.Strategy{Known: true, Range: p.def}
	}
	rng := memberRange(m)
	if m.Value.Kind != jsontree.Array {
		return model.Strategy{Set: true, Range: rng}
	}
	st := model.Strategy{Known: true, Set: len(m.Value.Items) > 0, Range: rng}
	for _, it := range m.Value.Items {
		o := obj{v: it, def: it.Range}
		if !o.known() {
			st.Known = false
			continue
		}
		st.Items = append(st.Items, model.StrategyItem{
			Provider: b.providerName(o.str("CapacityProvider", ""), o, "CapacityProvider"),
			Weight:   o.integer("Weight", 0),
			Base:     o.integer("Base", 0),
		})
	}
	return st
}

func (b *builder) taskDefinition(r *resource) {
	p := b.props(r)
	td := &model.TaskDefinition{
		Meta:                    b.meta(r),
		Family:                  p.str("Family", ""),
		RequiresCompatibilities: p.strs("RequiresCompatibilities"),
		NetworkMode:             p.str("NetworkMode", ""),
		ExecutionRole:           b.ref(p, "ExecutionRoleArn", roleTypes...),
		TaskRole:                b.ref(p, "TaskRoleArn", roleTypes...),
		CPUArchitecture:         model.DefaultFact("X86_64", r.keyRange),
		OSFamily:                model.DefaultFact("LINUX", r.keyRange),
		EphemeralStorage:        model.DefaultFact(false, r.keyRange),
		EphemeralStorageGiB:     model.DefaultFact(0, r.keyRange),
		Tags:                    tags(p, "Tags"),
	}
	if !td.Family.Set {
		td.Family = model.Fact[string]{Range: r.keyRange} // CloudFormation names it
	}
	if rp, ok := p.child("RuntimePlatform"); ok {
		td.CPUArchitecture = rp.str("CpuArchitecture", "X86_64")
		td.OSFamily = rp.str("OperatingSystemFamily", "LINUX")
	}
	if m := p.get("EphemeralStorage"); m != nil && m.Value.Kind != jsontree.Null {
		td.EphemeralStorage = model.KnownFact(true, m.KeyRange)
		es, _ := p.child("EphemeralStorage")
		td.EphemeralStorageGiB = es.integer("SizeInGiB", 0)
		if m.Value.Kind == jsontree.Unknown {
			td.EphemeralStorage = model.UnknownFact[bool](m.KeyRange)
			td.EphemeralStorageGiB = model.UnknownFact[int](m.KeyRange)
		}
	}
	b.containers(td, r, p)
	if p.known() {
		// After the containers: a field of the wrong shape is unknown by
		// then, and its keys are not taken for fields.
		td.Fields = taskdef.DocOf(p.v)
	}
	b.cfg.Add(td)
}

// containers decodes ContainerDefinitions with the ECS JSON decoder: the
// keys CloudFormation knows are renamed to the API's, and any other key is
// kept only for the spelling rule, since CloudFormation would not take it.
func (b *builder) containers(td *model.TaskDefinition, r *resource, p obj) {
	m := p.get("ContainerDefinitions")
	if m == nil || m.Value.Kind == jsontree.Null {
		td.ContainersKnown = true
		return
	}
	td.ContainersRange = memberRange(m)
	if m.Value.Kind != jsontree.Array {
		b.unknownContainers(td)
		return
	}
	list := &jsontree.Value{Kind: jsontree.Array, Range: m.Value.Range}
	for _, it := range m.Value.Items {
		if it.Kind == jsontree.Unknown {
			b.unknownContainers(td)
			return
		}
		list.Items = append(list.Items, toAPI(it, ecsschema.CFNContainerDefinition()))
	}
	cs, diags := taskdef.DecodeContainers(list)
	for _, d := range diags {
		d.Summary = inCFNSpelling(d.Summary)
		d.Detail = inCFNSpelling(d.Detail)
	}
	b.l.diags = append(b.l.diags, diags...)
	td.Containers, td.ContainersKnown = cs, true
	for i, c := range cs {
		c.Fields = taskdef.DocOf(m.Value.Items[i])
		b.resolveContainer(r, c, i)
	}
}

// strayPrefix marks a key CloudFormation does not know, so that no ECS
// field matches it.
const strayPrefix = "\x00"

// toAPI copies a CloudFormation object with its keys in the ECS API's
// spelling, and its numbers and booleans as strings: CloudFormation passes
// every scalar to the resource as a string and takes a boolean or a number
// where a string is wanted (awslogs-create-group: true), which the ECS
// API's JSON, and so the decoder, would refuse.
func toAPI(v *jsontree.Value, o *ecsschema.Object) *jsontree.Value {
	switch {
	case o == nil && (v.Kind == jsontree.Bool || v.Kind == jsontree.Number):
		return asString(v)
	case o == nil && v.Kind == jsontree.Object:
		// A map of free keys (Options, DockerLabels): the keys stay as written.
		out := *v
		out.Members = make([]jsontree.Member, len(v.Members))
		for i, m := range v.Members {
			out.Members[i] = jsontree.Member{Key: m.Key, KeyRange: m.KeyRange, Value: toAPI(m.Value, nil)}
		}
		return &out
	case v.Kind == jsontree.Array:
		out := *v
		out.Items = make([]*jsontree.Value, len(v.Items))
		for i, it := range v.Items {
			out.Items[i] = toAPI(it, o)
		}
		return &out
	case o != nil && v.Kind == jsontree.Object:
		out := *v
		out.Members = make([]jsontree.Member, len(v.Members))
		for i, m := range v.Members {
			fd := o.Field(m.Key)
			if fd == nil {
				out.Members[i] = jsontree.Member{Key: strayPrefix + m.Key, KeyRange: m.KeyRange, Value: m.Value}
				continue
			}
			v := m.Value
			if !wrongShape(v, fd) {
				v = toAPI(v, fd.Object)
			}
			// A value of the wrong shape is shared, not copied: the
			// decoder makes it unknown, and so the spelling rule, which
			// reads the template's own tree, does not take its inner keys
			// for fields.
			out.Members[i] = jsontree.Member{Key: fd.API, KeyRange: m.KeyRange, Value: v}
		}
		return &out
	}
	return v
}

// asString is a scalar as CloudFormation hands it to a resource: a
// number as written, a boolean as true or false.
func asString(v *jsontree.Value) *jsontree.Value {
	out := *v
	out.Kind = jsontree.String
	if v.Kind == jsontree.Bool {
		out.Str = strconv.FormatBool(v.Bool)
	}
	return &out
}

// wrongShape reports an object where ECS takes an array, or an array where
// it takes one object.
func wrongShape(v *jsontree.Value, fd *ecsschema.Field) bool {
	return fd.Shape == ecsschema.ListShape && v.Kind == jsontree.Object ||
		fd.Shape == ecsschema.ObjectShape && v.Kind == jsontree.Array
}

// apiPath is a path of ECS API fields from the container definitions
// down: containerDefinitions[0].portMappings.
var apiPath = regexp.MustCompile(`\bcontainerDefinitions(?:\[\d+\])?(?:\.[A-Za-z0-9]+(?:\[\d+\])?)*`)

// inCFNSpelling writes the field paths of the ECS decoder's messages as
// the template spells them: ContainerDefinitions[0].PortMappings.
func inCFNSpelling(s string) string {
	return apiPath.ReplaceAllStringFunc(s, func(path string) string {
		o := ecsschema.CFNTaskDefinition()
		segs := strings.Split(path, ".")
		for i, seg := range segs {
			if i > 0 && o == nil {
				break // the keys of a map (Options, DockerLabels) are the template's own
			}
			name, index, _ := strings.Cut(seg, "[")
			var fd *ecsschema.Field
			for _, c := range o.Fields {
				if c.API == name {
					fd = c
					break
				}
			}
			if fd == nil {
				return path
			}
			if index != "" {
				index = "[" + index
			}
			segs[i], o = fd.Name+index, fd.Object
		}
		return strings.Join(segs, ".")
	})
}

func (b *builder) unknownContainers(td *model.TaskDefinition) {
	b.l.missing(Missing{
		What:  "the container definitions of " + td.Addr + " (a condition or value canpull cannot evaluate)",
		Hint:  "give the parameters they depend on values with --param NAME=VALUE or --param-file",
		Range: td.ContainersRange,
	})
}

// resolveContainer follows the tokens inside a container definition: the
// repository an image comes from, the secrets it names.
func (b *builder) resolveContainer(r *resource, c *model.Container, i int) {
	prefix := b.l.prefixes[c.Image.Range]
	switch {
	case c.Image.Known && model.HasToken(c.Image.V):
		c.ImageRepository = b.imageRepository(c.Image.V, c.Image.Range)
		c.Image.V = b.render(c.Image.V)
		if model.HasToken(c.Image.V) {
			c.Image.Known = false
		}
	case !c.Image.Known && prefix != "":
		c.ImageRepository = b.imageRepository(prefix, c.Image.Range)
	}
	if c.ImageRepository.IsZero() {
		b.cdkAsset(r, c, i)
	}
	resolve := func(ref *model.Ref) {
		if ref.Known && model.HasToken(ref.Value) {
			*ref = b.refString(ref.Value, ref.Range, secretTypes...)
		}
	}
	resolve(&c.Credentials)
	for i := range c.Secrets {
		resolve(&c.Secrets[i].ValueFrom)
	}
	if c.Log != nil {
		for i := range c.Log.SecretOptions {
			resolve(&c.Log.SecretOptions[i].ValueFrom)
		}
	}
}

// imageRepository returns the repository of the templates an image (or
// the known beginning of one) is pulled from: it starts with the
// repository's RepositoryUri, or with a registry host and the
// repository's name (Ref), then a tag, a digest or nothing.
func (b *builder) imageRepository(img string, rng hcl.Range) model.Ref {
	for _, t := range model.Tokens(img) {
		if b.typeOf[t.Addr] != "AWS::ECR::Repository" {
			continue
		}
		switch {
		case t.Attr == "repository_url" && t.Start == 0:
		case t.Attr == "name" && t.Start > 0 && strings.HasSuffix(img[:t.Start], "/") && !model.HasToken(img[:t.Start]) &&
			strings.Count(img[:t.Start], "/") == 1:
		default:
			continue
		}
		rest := img[t.End:]
		if rest == "" || rest[0] == ':' || rest[0] == '@' {
			return model.Ref{Addr: t.Addr, Known: true, Range: rng}
		}
	}
	return model.Ref{}
}

// render replaces the tokens whose value the templates determine: a
// repository's URI and name.
func (b *builder) render(s string) string {
	toks := model.Tokens(s)
	for i := len(toks) - 1; i >= 0; i-- {
		t := toks[i]
		repo, ok := b.cfg.Lookup(t.Addr).(*model.Repository)
		if !ok {
			continue
		}
		val := ""
		switch t.Attr {
		case "repository_url":
			if repo.URL.Known {
				val = repo.URL.V
			}
		case "name":
			if repo.Name.Known {
				val = repo.Name.V
			}
		}
		if val != "" {
			s = s[:t.Start] + val + s[t.End:]
		}
	}
	return s
}

// cdkAssetImage matches the image of a CDK container asset:
// ACCOUNT.dkr.ecr.REGION.URLSUFFIX/cdk-QUALIFIER-container-assets-ACCOUNT-REGION:HASH,
// with the pseudo parameters the CDK writes for an environment-agnostic
// stack standing in as {AWS::AccountId} and friends.
var cdkAssetImage = regexp.MustCompile(`^(\d{12}|\{AWS::AccountId\})\.dkr\.ecr\.([a-z0-9-]+|\{AWS::Region\})\.(?:amazonaws\.com(?:\.cn)?|\{AWS::URLSuffix\})/` +
	`(cdk-[a-z0-9]+-container-assets-(?:\d{12}|\{AWS::AccountId\})-(?:[a-z0-9-]+|\{AWS::Region\}))([:@].*)?$`)

// cdkAsset recognises an image the CDK built from a container asset: it
// is in the bootstrap stack's asset repository, private ECR of the stack's
// own account and region, even when the stack does not know which those
// are.
func (b *builder) cdkAsset(r *resource, c *model.Container, i int) {
	if c.Image.Known && !strings.Contains(c.Image.V, "-container-assets-") {
		return
	}
	raw := resourceProps(r).Get("ContainerDefinitions")
	if raw == nil {
		return
	}
	sym := (&evaluator{l: b.l, st: r.st, symbolic: true}).eval(raw.Value, 0)
	if sym.Kind != jsontree.Array || i >= len(sym.Items) {
		return
	}
	im := sym.Items[i].Get("Image")
	if im == nil || im.Value.Kind != jsontree.String {
		return
	}
	s := im.Value.Str
	for _, t := range model.Tokens(s) {
		if t.Addr != pseudoAddr {
			return
		}
	}
	for _, name := range []string{"AWS::AccountId", "AWS::Region", "AWS::URLSuffix"} {
		s = strings.ReplaceAll(s, model.Token(pseudoAddr, name), "{"+name+"}")
	}
	m := cdkAssetImage.FindStringSubmatch(s)
	if m == nil || model.HasToken(s) {
		return
	}
	repo := b.assetRepository(r.st, m[3], c.Image.Range)
	c.ImageRepository = model.Ref{Addr: repo.Addr, Known: true, Range: c.Image.Range}
	if !c.Image.Known {
		c.Image.V = model.Token(repo.Addr, "repository_url") + m[4]
		if repo.URL.Known {
			c.Image = model.KnownFact(repo.URL.V+m[4], c.Image.Range)
		}
	}
}

// assetRepository is the CDK bootstrap stack's container asset repository
// in a stack's account and region.
func (b *builder) assetRepository(st *stack, name string, rng hcl.Range) *model.Repository {
	root := rootOf(st)
	addr := root.prefix + "cdk-container-assets"
	if repo, ok := b.cfg.Lookup(addr).(*model.Repository); ok {
		return repo
	}
	repo := &model.Repository{Meta: model.Meta{Addr: addr, Range: rng, Account: st.account, Region: st.region}, Implicit: true,
		Name: model.Fact[string]{Range: rng}}
	if !strings.Contains(name, "{") {
		repo.Name = model.KnownFact(name, rng)
	}
	if repo.Name.Known && repo.Account.Known && repo.Region.Known {
		repo.URL = model.KnownFact(image.ECRHost(repo.Account.V, repo.Region.V)+"/"+repo.Name.V, rng)
	}
	b.cfg.Add(repo)
	return repo
}

func (b *builder) service(r *resource) {
	p := b.props(r)
	s := &model.Service{
		Meta:             b.meta(r),
		Name:             p.str("ServiceName", ""),
		Cluster:          b.ref(p, "Cluster", clusterTypes...),
		TaskDefinition:   b.ref(p, "TaskDefinition", taskdefTypes...),
		LaunchType:       p.str("LaunchType", ""),
		CapacityStrategy: b.strategy(p, "CapacityProviderStrategy"),
		PlatformVersion:  p.str("PlatformVersion", "LATEST"),
		Tags:             tags(p, "Tags"),
		PropagateTags:    p.str("PropagateTags", "NONE"),
	}
	if !s.Name.Set {
		s.Name = model.Fact[string]{Range: r.keyRange}
	}
	if nc, ok := p.child("NetworkConfiguration"); ok {
		av, ok := nc.child("AwsvpcConfiguration")
		switch {
		case !nc.known():
			s.Network = unknownNetwork(nc.def)
		case !ok:
		case !av.known():
			s.Network = unknownNetwork(av.def)
		default:
			s.Network = &model.NetworkConfig{
				Subnets:        b.refs(av, "Subnets", b.typed(subnetTypes...)),
				SecurityGroups: b.refs(av, "SecurityGroups", b.groupRef),
				AssignPublicIP: assignPublicIP(av),
				Range:          av.def,
			}
		}
	}
	if p.known() {
		s.Fields = taskdef.DocOf(p.v)
	}
	b.cfg.Add(s)
}

func unknownNetwork(rng hcl.Range) *model.NetworkConfig {
	return &model.NetworkConfig{Subnets: model.Refs{Range: rng}, SecurityGroups: model.Refs{Range: rng},
		AssignPublicIP: model.UnknownFact[bool](rng), Range: rng}
}

// assignPublicIP reads AssignPublicIp: ENABLED or DISABLED, the default.
func assignPublicIP(av obj) model.Fact[bool] {
	f := av.str("AssignPublicIp", "DISABLED")
	switch {
	case !f.Known:
		return model.UnknownFact[bool](f.Range)
	case f.V == "ENABLED":
		return model.Fact[bool]{V: true, Known: true, Set: f.Set, Range: f.Range}
	case f.V == "DISABLED":
		return model.Fact[bool]{Known: true, Set: f.Set, Range: f.Range}
	}
	return model.UnknownFact[bool](f.Range)
}

// providerName reads a capacity provider's name. A Ref to an
// AWS::ECS::CapacityProvider of the template is the name CloudFormation
// gives it, unknown as a string but known to be that provider's: the
// token stands for it, and the rules follow it to the provider.
func (b *builder) providerName(f model.Fact[string], o obj, key string) model.Fact[string] {
	if f.Known {
		return f
	}
	m := o.get(key)
	if m == nil {
		return f
	}
	if s, ok := scalarString(m.Value); ok {
		if t, ok := model.ParseToken(s); ok && b.typeOf[t.Addr] == "AWS::ECS::CapacityProvider" {
			return model.KnownFact(s, f.Range)
		}
	}
	return f
}

// providerNames reads a list of capacity provider names, as providerName
// reads one.
func (b *builder) providerNames(o obj, key string) model.Fact[[]string] {
	f := o.strs(key)
	if f.Known {
		return f
	}
	m := o.get(key)
	if m == nil || m.Value.Kind != jsontree.Array {
		return f
	}
	var out []string
	for _, it := range m.Value.Items {
		s, ok := scalarString(it)
		if !ok {
			return f
		}
		if model.HasToken(s) {
			if t, ok := model.ParseToken(s); !ok || b.typeOf[t.Addr] != "AWS::ECS::CapacityProvider" {
				return f
			}
		}
		out = append(out, s)
	}
	return model.KnownFact(out, f.Range)
}
