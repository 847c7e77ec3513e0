// Package cloudformation reads AWS CloudFormation templates, YAML and JSON,
// and the templates the AWS CDK synthesizes into cdk.out, into the
// provider-neutral model, so that every rule works on them unchanged.
//
// Templates are found by content. Each is evaluated as CloudFormation would
// create its stack: parameters (defaults, --param, parameter files),
// conditions, mappings, the intrinsic functions, nested stacks whose
// template is among the scanned files, and Fn::ImportValue against the
// exports of every scanned template. What cannot be known stays unknown.
package cloudformation

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// File is one input file.
type File struct {
	Name string
	Src  []byte
}

// Options are what the command line gives.
type Options struct {
	// AccountID is --account-id: the account every stack deploys to,
	// unless a --param AWS::AccountId says otherwise.
	AccountID string
	// Params are --param and --param-file, in command order: a later one
	// wins.
	Params []Param
	// Limits bound the evaluation of each root stack; DefaultLimits for
	// a zero field.
	Limits Limits
}

// Param is one --param NAME=VALUE (Assignment) or --param-file FILE.
type Param struct {
	Assignment string
	File       string
}

// Missing is a fact canpull needed and could not find.
type Missing struct {
	What  string
	Hint  string
	Range hcl.Range
}

// Ignore is a suppression written in a resource's Metadata:
// {canpull: {ignore: [{id: CP203, reason: …}]}}. It covers the resource.
type Ignore struct {
	Rule   string
	Reason string
	// Range is the entry; Covers is the whole resource.
	Range, Covers hcl.Range
}

// YAMLFile is what the ignore comments of a YAML template need: the
// comments that mention canpull, the lines that hold code, and the
// entries a comment above them covers.
type YAMLFile struct {
	Comments []Comment
	Code     map[int]bool
	Spans    []Span
}

// Result is what Load read.
type Result struct {
	// Configs holds one configuration per group of stacks that refer to
	// each other (a stack with its nested stacks, stacks linked by
	// Fn::ImportValue).
	Configs []*model.Config
	Sources map[string][]byte
	Missing []Missing
	Ignores []Ignore
	YAML    map[string]*YAMLFile
}

// maxNestedDepth bounds stacks nested in stacks.
const maxNestedDepth = 8

type loader struct {
	opts  Options
	diags hcl.Diagnostics
	res   *Result

	// ctx is the run's: when it is done, evaluation stops.
	ctx     context.Context
	ctxDone bool
	limits  Limits
	meters  map[*stack]*meter
	// totalMemory is what all the root stacks' evaluations built.
	totalMemory int64

	files  map[string]*parsed // by cleaned name
	order  []*parsed
	cdkEnv map[string]cdkStack
	// assets maps an S3 object key of the CDK's asset manifests (as a
	// path in the manifest's folder) to the file uploaded under it.
	assets map[string]string
	rootIn map[string]paramInput
	// pseudoArgs are pseudo parameters given with --param.
	pseudoArgs map[string]string

	stacks []*stack
	roots  []*stack
	// group joins roots that import from each other.
	group map[*stack]*stack
	// incomplete holds, per root, the kinds of object its stacks may hold
	// beyond what canpull read.
	incomplete map[*stack]map[string]bool

	// pseudoUse is where each root stack first needed a pseudo parameter
	// it has no value for.
	pseudoUse map[*stack]map[string]hcl.Range

	exports       map[string][]exportRef
	buildingIndex bool
	prefixes      map[hcl.Range]string
}

type exportRef struct {
	st   *stack
	name string
}

// paramInput is a value given to a parameter; val is nil when it is
// unknown, and why says why.
type paramInput struct {
	val *jsontree.Value
	why string
}

// newLoader is a loader with opts' limits, DefaultLimits where they give
// none.
func newLoader(ctx context.Context, opts Options) *loader {
	limits := opts.Limits
	if limits.Memory <= 0 {
		limits.Memory = DefaultLimits.Memory
	}
	if limits.Work <= 0 {
		limits.Work = DefaultLimits.Work
	}
	if limits.Stacks <= 0 {
		limits.Stacks = DefaultLimits.Stacks
	}
	return &loader{
		ctx: ctx, limits: limits, meters: map[*stack]*meter{},
		opts: opts, res: &Result{Sources: map[string][]byte{}, YAML: map[string]*YAMLFile{}},
		files: map[string]*parsed{}, cdkEnv: map[string]cdkStack{}, assets: map[string]string{}, pseudoArgs: map[string]string{},
		group: map[*stack]*stack{}, incomplete: map[*stack]map[string]bool{}, prefixes: map[hcl.Range]string{},
	}
}

// Load reads the templates and CDK manifests among files.
func Load(files []File, opts Options) (*Result, hcl.Diagnostics) {
	return LoadContext(context.Background(), files, opts)
}

// LoadContext is Load that also stops evaluating when ctx is done (the
// run's deadline): what it had not evaluated is unknown.
func LoadContext(ctx context.Context, files []File, opts Options) (*Result, hcl.Diagnostics) {
	l := newLoader(ctx, opts)
	l.readParamArgs()
	// Manifests first: they name the stacks of the templates beside them.
	for _, f := range files {
		switch {
		case isCDKManifest(f.Name):
			l.readManifest(f)
		case isAssetManifest(f.Name):
			l.readAssets(f)
		}
	}
	seen := map[string]bool{}
	for _, f := range files {
		key := filepath.Clean(f.Name)
		if seen[key] || isCDKManifest(f.Name) || isAssetManifest(f.Name) {
			continue
		}
		seen[key] = true
		p, diags := parse(f.Name, f.Src)
		if p == nil && diags.HasErrors() {
			if rng, ok := templatingMarker(f.Name, f.Src); ok {
				l.res.Sources[f.Name] = f.Src
				l.missing(Missing{What: "the template that a templating tool renders from this file: its markers ({{ … }}, {% … %}) are not YAML or JSON",
					Hint: "lint the template the tool renders", Range: rng})
				continue
			}
		}
		l.diags = append(l.diags, diags...)
		if p == nil {
			if diags.HasErrors() {
				l.res.Sources[f.Name] = f.Src
			}
			continue
		}
		l.res.Sources[f.Name] = f.Src
		l.files[key] = p
		l.order = append(l.order, p)
		if p.yaml != nil {
			l.res.YAML[f.Name] = &YAMLFile{Comments: p.yaml.comments, Code: p.yaml.code, Spans: p.yaml.spans}
			if p.yaml.alias != nil {
				l.missing(Missing{What: "a value written with a YAML alias (*name) or merge key (<<): CloudFormation refuses them (`Template error: YAML aliases are not allowed in CloudFormation templates`) unless a tool expands them first",
					Hint: "write the value out in full, or lint the template the tool produces", Range: *p.yaml.alias})
			}
		}
	}
	l.instantiate()
	for _, st := range l.stacks {
		l.evaluate(st)
	}
	l.pseudoNotes()
	l.build()
	return l.res, l.diags
}

func (l *loader) missing(m Missing) { l.res.Missing = append(l.res.Missing, m) }

// instantiate creates the root stacks and, under them, their nested
// stacks. A template that another scanned template nests is not a root.
func (l *loader) instantiate() {
	nestedFiles := map[string]bool{}
	for _, p := range l.order {
		for _, child := range l.nestedFiles(p) {
			if child != p {
				nestedFiles[filepath.Clean(child.name)] = true
			}
		}
	}
	var roots []*parsed
	for _, p := range l.order {
		if !nestedFiles[filepath.Clean(p.name)] {
			roots = append(roots, p)
		}
	}
	labels := l.labels(roots)
	for _, p := range roots {
		prefix := ""
		if len(roots) > 1 {
			prefix = labels[p] + "."
		}
		st := l.newStack(p, labels[p], prefix, nil, nil, l.rootIn)
		l.roots = append(l.roots, st)
		l.group[st] = st
		l.incomplete[st] = map[string]bool{}
		l.addStack(st)
	}
}

// addStack records a stack and creates its nested stacks.
func (l *loader) addStack(st *stack) {
	l.stacks = append(l.stacks, st)
	l.transforms(st)
	for _, r := range st.resources {
		if r.typ != "AWS::CloudFormation::Stack" || r.exists == triFalse {
			continue
		}
		child, where := l.nestedFile(st.file, r)
		switch {
		case r.exists == triUnknown:
			l.setIncomplete(st, model.KindAll)
			continue
		case child == nil:
			l.setIncomplete(st, model.KindAll)
			l.missing(Missing{What: "the template of nested stack " + r.addr + where,
				Hint: "scan the folder that holds the nested template too (TemplateURL as a local path, as `aws cloudformation package` reads it)", Range: r.keyRange})
			continue
		case st.depth >= maxNestedDepth || l.nestsItself(st, child):
			l.setIncomplete(st, model.KindAll)
			l.diags = append(l.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Nested stacks nested too deeply",
				Detail:  fmt.Sprintf("%s nests %s in itself, or more than %d levels deep; canpull does not read further.", r.addr, child.name, maxNestedDepth),
				Subject: r.keyRange.Ptr()})
			continue
		}
		if !l.addStackAllowed(st, r) {
			l.setIncomplete(st, model.KindAll)
			continue
		}
		values := map[string]paramInput{}
		ev := &evaluator{l: l, st: st}
		if pm := resourceProps(r).Get("Parameters"); pm != nil {
			pv := ev.eval(pm.Value, 0)
			if pv.Kind != jsontree.Object {
				l.setIncomplete(st, model.KindAll)
				continue
			}
			for _, m := range pv.Members {
				if m.Value.Kind == jsontree.Unknown {
					values[m.Key] = paramInput{why: "the value " + r.addr + " passes to parameter " + m.Key}
					continue
				}
				values[m.Key] = paramInput{val: m.Value}
			}
		}
		cst := l.newStack(child, st.label, st.prefix+r.id+".", st, r, values)
		st.nested[r.id] = cst
		l.addStack(cst)
	}
}

func (l *loader) nestsItself(st *stack, child *parsed) bool {
	for s := st; s != nil; s = s.parent {
		if s.file == child {
			return true
		}
	}
	return false
}

// rootOf is the root stack above st.
func rootOf(st *stack) *stack {
	for st.parent != nil {
		st = st.parent
	}
	return st
}

// groupOf is the root that stands for st's group.
func (l *loader) groupOf(st *stack) *stack {
	r := rootOf(st)
	for l.group[r] != r {
		r = l.group[r]
	}
	return r
}

func (l *loader) union(a, b *stack) {
	ra, rb := l.groupOf(a), l.groupOf(b)
	if ra != rb {
		l.group[rb] = ra
	}
}

func (l *loader) setIncomplete(st *stack, kind string) {
	l.incomplete[rootOf(st)][kind] = true
}

// transforms notes the template macros canpull does not run.
func (l *loader) transforms(st *stack) {
	m := st.file.tree.Get("Transform")
	if m == nil {
		return
	}
	var names []string
	switch m.Value.Kind {
	case jsontree.String:
		names = []string{m.Value.Str}
	case jsontree.Array:
		for _, it := range m.Value.Items {
			if it.Kind == jsontree.String {
				names = append(names, it.Str)
			}
		}
	}
	for _, n := range names {
		switch {
		case n == "AWS::LanguageExtensions":
			if res := st.file.tree.Get("Resources"); res != nil {
				for _, rm := range res.Value.Members {
					if strings.HasPrefix(rm.Key, "Fn::ForEach::") {
						l.setIncomplete(st, model.KindAll)
						l.missing(Missing{What: "the resources that " + rm.Key + " makes (Fn::ForEach of the AWS::LanguageExtensions transform)",
							Hint: "canpull does not expand Fn::ForEach; lint the processed template (aws cloudformation get-template --template-stage Processed)", Range: rm.KeyRange})
					}
				}
			}
		case strings.HasPrefix(n, "AWS::Serverless"):
			// SAM is out of scope: its resources are not read, the others are.
			for _, r := range st.resources {
				if r.typ == "AWS::Serverless::Application" {
					l.setIncomplete(st, model.KindAll)
				}
			}
			l.missing(Missing{What: "the AWS::Serverless::* resources of " + st.file.name + ": canpull does not expand the SAM transform (" + n + "), only the template's AWS:: resources are checked",
				Hint: "lint the processed template (sam build, or aws cloudformation get-template --template-stage Processed)", Range: m.KeyRange})
		default:
			// AWS::Include and account macros can add anything.
			l.setIncomplete(st, model.KindAll)
			l.missing(Missing{What: "what the transform " + n + " of " + st.file.name + " adds to the template",
				Hint: "lint the processed template (aws cloudformation get-template --template-stage Processed)", Range: m.KeyRange})
		}
	}
}

// labels names each root stack: the CDK stack name, else the file's name
// without its extension; where two share a name, the shortest end of
// their paths that tells them apart ("prod/app.yaml", "dev/app.yaml").
func (l *loader) labels(roots []*parsed) map[*parsed]string {
	out := map[*parsed]string{}
	count := map[string]int{}
	for _, p := range roots {
		n := l.cdkEnv[filepath.Clean(p.name)].stackName
		if n == "" {
			n = stem(p.name)
		}
		out[p] = n
		count[n]++
	}
	var clash []*parsed
	for _, p := range roots {
		if count[out[p]] > 1 {
			clash = append(clash, p)
		}
	}
	clash = shortestTails(clash, out, func(p *parsed, n int) string { return pathTail(p.name, n) })
	// The same template as YAML and as JSON: the format tells them apart
	// ("app[yaml]"; a ".json" in an address would read as an ECS JSON
	// document's).
	shortestTails(clash, out, func(p *parsed, n int) string {
		return pathTail(p.name, n) + "[" + strings.TrimPrefix(filepath.Ext(p.name), ".") + "]"
	})
	return out
}

// shortestTails names each of clash by the shortest tail(p, n) that no
// other of them shares, and returns those that no tail tells apart.
func shortestTails(clash []*parsed, out map[*parsed]string, tail func(*parsed, int) string) []*parsed {
	for parts := 1; len(clash) > 0 && parts <= 64; parts++ {
		seen := map[string]int{}
		for _, p := range clash {
			seen[tail(p, parts)]++
		}
		var still []*parsed
		for _, p := range clash {
			if t := tail(p, parts); seen[t] == 1 {
				out[p] = t
			} else {
				still = append(still, p)
			}
		}
		clash = still
	}
	return clash
}

// pathTail is the last n elements of a file's path, without the file's
// extensions.
func pathTail(name string, n int) string {
	name = filepath.Join(filepath.Dir(name), stem(name))
	parts := strings.Split(filepath.ToSlash(filepath.Clean(name)), "/")
	if n > len(parts) {
		n = len(parts)
	}
	return strings.Join(parts[len(parts)-n:], "/")
}

// stem is a file's name without folder and extensions: "app" for
// "infra/app.template.json" or "app.yaml".
func stem(name string) string {
	b := filepath.Base(name)
	for _, ext := range []string{".json", ".yaml", ".yml", ".template", ".cfn"} {
		b = strings.TrimSuffix(b, ext)
	}
	b = strings.TrimSuffix(b, ".template")
	if b == "" {
		return filepath.Base(name)
	}
	return b
}

// nestedFiles lists the scanned templates that p nests.
func (l *loader) nestedFiles(p *parsed) []*parsed {
	var out []*parsed
	res := p.tree.Get("Resources")
	if res == nil || res.Value.Kind != jsontree.Object {
		return nil
	}
	for _, rm := range res.Value.Members {
		if t := rm.Value.Get("Type"); t == nil || t.Value.Kind != jsontree.String || t.Value.Str != "AWS::CloudFormation::Stack" {
			continue
		}
		if child, _ := l.nestedFile(p, &resource{decl: rm.Value}); child != nil {
			out = append(out, child)
		}
	}
	return out
}

// nestedFile finds the template of a nested stack among the scanned
// files: a TemplateURL that is a local path (as `aws cloudformation
// package` reads it), or the asset path the CDK writes in the resource's
// Metadata. where says what was looked for, for the note when it is not
// there.
func (l *loader) nestedFile(p *parsed, r *resource) (*parsed, string) {
	dir := filepath.Dir(p.name)
	var candidates []string
	if md := r.decl.Get("Metadata"); md != nil {
		if ap := md.Value.Get("aws:asset:path"); ap != nil && ap.Value.Kind == jsontree.String {
			candidates = append(candidates, ap.Value.Str)
		}
	}
	url := ""
	if u := resourceProps(r).Get("TemplateURL"); u != nil {
		if u.Value.Kind == jsontree.String {
			url = u.Value.Str
			if !strings.Contains(url, "://") && !strings.HasPrefix(url, "https:") {
				candidates = append(candidates, url)
			}
		}
		// The CDK uploads a nested template as an asset: the URL's last
		// part is the object key its asset manifest maps to the file.
		if last := lastString(u.Value, 0); last != "" {
			key := last[strings.LastIndexByte(last, '/')+1:]
			if f := l.assets[filepath.Join(dir, key)]; f != "" {
				if rel, err := filepath.Rel(dir, f); err == nil {
					candidates = append(candidates, filepath.ToSlash(rel))
				}
			}
			if url == "" {
				url = last
			}
		}
	}
	for _, c := range candidates {
		if filepath.IsAbs(c) || strings.HasPrefix(path.Clean(filepath.ToSlash(c)), "../../../../") {
			continue
		}
		if f := l.files[filepath.Clean(filepath.Join(dir, filepath.FromSlash(c)))]; f != nil {
			return f, ""
		}
	}
	switch {
	case len(candidates) > 0:
		return nil, " (" + candidates[len(candidates)-1] + ", not among the scanned files)"
	case url != "":
		return nil, " (" + url + ", which is not a local file)"
	}
	return nil, ""
}

// lastString is the last string written in a value, functions included:
// the end of a URL that Fn::Join or Fn::Sub builds.
func lastString(v *jsontree.Value, depth int) string {
	if depth > maxEvalDepth {
		return ""
	}
	switch v.Kind {
	case jsontree.String:
		return v.Str
	case jsontree.Array:
		for i := len(v.Items) - 1; i >= 0; i-- {
			if s := lastString(v.Items[i], depth+1); s != "" {
				return s
			}
		}
	case jsontree.Object:
		for i := len(v.Members) - 1; i >= 0; i-- {
			if s := lastString(v.Members[i].Value, depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

// resourceProps is a resource's Properties as written, or an empty object.
func resourceProps(r *resource) *jsontree.Value {
	if pm := r.decl.Get("Properties"); pm != nil && pm.Value.Kind == jsontree.Object {
		return pm.Value
	}
	return &jsontree.Value{Kind: jsontree.Object, Range: r.keyRange}
}

// evaluate evaluates the properties of every resource of a stack that may
// exist.
func (l *loader) evaluate(st *stack) {
	for _, r := range st.resources {
		if r.exists == triFalse || r.evaluated {
			continue
		}
		r.evaluated = true
		ev := &evaluator{l: l, st: st}
		pm := r.decl.Get("Properties")
		if pm == nil {
			r.props = &jsontree.Value{Kind: jsontree.Object, Range: r.keyRange}
			continue
		}
		r.props = ev.eval(pm.Value, 0)
	}
}

// output evaluates a stack's output, for Fn::GetAtt Stack.Outputs.Name and
// Fn::ImportValue.
func (l *loader) output(st *stack, name string, rng hcl.Range, depth int) *jsontree.Value {
	ev := &evaluator{l: l, st: st}
	if v, ok := st.outMemo[name]; ok {
		return ev.at(v, rng)
	}
	if st.outputs == nil || st.outBusy[name] || depth > maxEvalDepth {
		return unknownAt(rng)
	}
	m := st.outputs.Get(name)
	if m == nil {
		return unknownAt(rng)
	}
	if c := m.Value.Get("Condition"); c != nil && (c.Value.Kind != jsontree.String || l.condition(st, c.Value.Str, depth) != triTrue) {
		return unknownAt(rng)
	}
	vm := m.Value.Get("Value")
	if vm == nil {
		return unknownAt(rng)
	}
	st.outBusy[name] = true
	v := ev.eval(vm.Value, depth+1)
	st.outBusy[name] = false
	if v == noValue {
		v = unknownAt(vm.Value.Range)
	}
	// An output is evaluated once: outputs that each read the one before
	// several times would otherwise be evaluated exponentially often.
	st.outMemo[name] = v
	return ev.at(v, rng)
}

// importValue resolves Fn::ImportValue against the exports of every
// scanned stack. An export that no scanned template makes, or that two
// make, is unknown.
func (l *loader) importValue(st *stack, name string, rng hcl.Range, depth int) *jsontree.Value {
	if l.buildingIndex || model.HasToken(name) {
		return unknownAt(rng)
	}
	if l.exports == nil {
		l.indexExports()
	}
	refs := l.exports[name]
	if len(refs) != 1 {
		return unknownAt(rng)
	}
	l.union(st, refs[0].st)
	return l.output(refs[0].st, refs[0].name, rng, depth+1)
}

// indexExports finds the export names of every scanned stack's outputs.
func (l *loader) indexExports() {
	l.buildingIndex = true
	defer func() { l.buildingIndex = false }()
	l.exports = map[string][]exportRef{}
	for _, st := range l.stacks {
		if st.outputs == nil {
			continue
		}
		for _, m := range st.outputs.Members {
			em := m.Value.Get("Export")
			if em == nil {
				continue
			}
			nm := em.Value.Get("Name")
			if nm == nil {
				continue
			}
			ev := &evaluator{l: l, st: st}
			n, ok := scalarString(ev.eval(nm.Value, 0))
			if !ok || model.HasToken(n) {
				continue
			}
			l.exports[n] = append(l.exports[n], exportRef{st: st, name: m.Key})
		}
	}
}

// pseudoHints say how to give the pseudo parameters a template most often
// needs and cannot know.
var pseudoHints = map[string]string{
	"AWS::Region":    "the region",
	"AWS::AccountId": "the account",
}

// notePseudo records the first place a root stack needs a pseudo parameter
// that has no value.
func (l *loader) notePseudo(st *stack, name string, rng hcl.Range) {
	if pseudoHints[name] == "" && name != "AWS::Partition" && name != "AWS::URLSuffix" {
		return
	}
	if name == "AWS::Partition" || name == "AWS::URLSuffix" {
		name = "AWS::Region"
	}
	root := rootOf(st)
	if l.pseudoUse == nil {
		l.pseudoUse = map[*stack]map[string]hcl.Range{}
	}
	if l.pseudoUse[root] == nil {
		l.pseudoUse[root] = map[string]hcl.Range{}
	}
	if _, seen := l.pseudoUse[root][name]; !seen {
		l.pseudoUse[root][name] = rng
	}
}

// pseudoNotes says, once per stack, which pseudo parameters it needed
// and had no value for: what a CDK environment or --param gives.
func (l *loader) pseudoNotes() {
	checked := l.checkedGroups()
	for _, root := range l.roots {
		if !checked[l.groupOf(root)] {
			continue // no rule reads it: nothing waits for the value
		}
		for _, name := range []string{"AWS::Region", "AWS::AccountId"} {
			rng, ok := l.pseudoUse[root][name]
			if !ok {
				continue
			}
			hint := "pass --param AWS::Region=… (AWS::Partition and AWS::URLSuffix follow from it)"
			if name == "AWS::AccountId" {
				hint = "pass --account-id (or --param AWS::AccountId=…)"
			}
			if root.cdk {
				hint += "; or give the CDK stack an environment (env: {account, region}) before cdk synth"
			}
			l.missing(Missing{What: pseudoHints[name] + " that stack " + root.label + " deploys to (" + name + "): the template leaves it to the deployment",
				Hint: hint, Range: rng})
		}
	}
}

// checkedGroups are the groups of stacks (their roots) that hold what the
// rules check, ECS or ECR resources, or that may: a nested stack whose
// template is not on disk. A stack of a WordPress instance or a bucket
// needs no region for canpull, and a note asking for one is noise.
func (l *loader) checkedGroups() map[*stack]bool {
	out := map[*stack]bool{}
	for _, st := range l.stacks {
		for _, r := range st.resources {
			if strings.HasPrefix(r.typ, "AWS::ECS::") || strings.HasPrefix(r.typ, "AWS::ECR::") ||
				(r.typ == "AWS::CloudFormation::Stack" && st.nested[r.id] == nil) {
				out[l.groupOf(st)] = true
				break
			}
		}
	}
	return out
}

// notePrefix records the known beginning of a string that is unknown
// because a later part is: enough to tell the repository of an image whose
// tag is a parameter without a value.
func (l *loader) notePrefix(rng hcl.Range, prefix string) {
	if prefix != "" {
		l.prefixes[rng] = prefix
	}
}
