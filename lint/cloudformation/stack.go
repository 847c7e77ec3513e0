package cloudformation

import (
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// stack is one template as it is deployed: a root template with the
// parameter values given on the command line, or a nested stack with the
// values its parent passes.
type stack struct {
	file *parsed
	// label names the stack in addresses; prefix is put before each of its
	// resources' logical IDs ("" for a lone root template, "network." for
	// one of several, "app.Network." for a nested stack).
	label, prefix string
	parent        *stack
	// via is the AWS::CloudFormation::Stack resource of the parent that
	// creates this stack.
	via   *resource
	depth int

	params     map[string]*param
	mappings   *jsontree.Value
	conditions *jsontree.Value
	outputs    *jsontree.Value
	condMemo   map[string]tri
	condBusy   map[string]bool
	outBusy    map[string]bool
	outMemo    map[string]*jsontree.Value

	resources []*resource
	byID      map[string]*resource
	nested    map[string]*stack

	// pseudo holds the pseudo parameters' values that are known.
	pseudo  map[string]string
	account model.Fact[string]
	region  model.Fact[string]
	// cdk is true for a template of a CDK cloud assembly.
	cdk bool
}

// resource is one entry of a template's Resources.
type resource struct {
	st   *stack
	id   string
	addr string
	typ  string
	decl *jsontree.Value
	// keyRange is the logical ID as written: where findings about the
	// whole resource point. span covers the whole entry.
	keyRange, span hcl.Range
	exists         tri
	props          *jsontree.Value
	evaluated      bool
	// attrs are the properties that Fn::GetAtt read, by name and
	// symbolic evaluation or not: each is evaluated once.
	attrs map[attrKey]*jsontree.Value
}

type attrKey struct {
	prop     string
	symbolic bool
}

// tri is a three-valued truth.
type tri int

const (
	triUnknown tri = iota
	triTrue
	triFalse
)

// param is a parameter with its value: a string, or for list types an
// array of strings; nil when unknown.
type param struct {
	name string
	typ  string
	val  *jsontree.Value
	// why says why the value is unknown, for the unverified notes.
	why  string
	decl hcl.Range
}

// isList reports whether a parameter type holds a list.
func isList(typ string) bool {
	return typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")
}

// newStack reads a template's sections. values are the parameter values
// given to it (nil entries: unknown), by name.
func (l *loader) newStack(f *parsed, label, prefix string, parent *stack, via *resource, values map[string]paramInput) *stack {
	st := &stack{
		file: f, label: label, prefix: prefix, parent: parent, via: via,
		params: map[string]*param{}, condMemo: map[string]tri{}, condBusy: map[string]bool{}, outBusy: map[string]bool{}, outMemo: map[string]*jsontree.Value{},
		byID: map[string]*resource{}, nested: map[string]*stack{}, pseudo: map[string]string{},
	}
	if parent != nil {
		st.depth = parent.depth + 1
	}
	t := f.tree
	if m := t.Get("Mappings"); m != nil && m.Value.Kind == jsontree.Object {
		st.mappings = m.Value
	}
	if m := t.Get("Conditions"); m != nil && m.Value.Kind == jsontree.Object {
		st.conditions = m.Value
	}
	if m := t.Get("Outputs"); m != nil && m.Value.Kind == jsontree.Object {
		st.outputs = m.Value
	}
	l.setPlace(st)
	l.readParams(st, values)
	if m := t.Get("Resources"); m != nil && m.Value.Kind == jsontree.Object {
		for _, rm := range m.Value.Members {
			r := &resource{st: st, id: rm.Key, addr: prefix + rm.Key, decl: rm.Value, keyRange: rm.KeyRange,
				span: hcl.RangeBetween(rm.KeyRange, rm.Value.Range)}
			if tm := rm.Value.Get("Type"); tm != nil && tm.Value.Kind == jsontree.String {
				r.typ = tm.Value.Str
			}
			if _, dup := st.byID[r.id]; dup {
				continue // CloudFormation refuses duplicate logical IDs; the first is kept
			}
			st.resources = append(st.resources, r)
			st.byID[r.id] = r
		}
		l.spend(st, int64(len(st.resources)), valueBytes*int64(len(st.resources)), m.KeyRange)
	}
	for _, r := range st.resources {
		r.exists = triTrue
		if cm := r.decl.Get("Condition"); cm != nil {
			if cm.Value.Kind != jsontree.String {
				r.exists = triUnknown
			} else {
				r.exists = l.condition(st, cm.Value.Str, 0)
			}
		}
	}
	return st
}

// setPlace decides the account, region and other pseudo parameters of a
// stack: a nested stack has its parent's.
func (l *loader) setPlace(st *stack) {
	if st.parent != nil {
		for k, v := range st.parent.pseudo {
			if k != "AWS::StackName" {
				st.pseudo[k] = v
			}
		}
		st.account, st.region, st.cdk = st.parent.account, st.parent.region, st.parent.cdk
		return
	}
	env := l.cdkEnv[filepath.Clean(st.file.name)]
	st.cdk = env.found
	if env.stackName != "" {
		st.pseudo["AWS::StackName"] = env.stackName
	}
	if env.region != "" {
		st.pseudo["AWS::Region"] = env.region
	}
	if l.opts.AccountID != "" {
		st.pseudo["AWS::AccountId"] = l.opts.AccountID
	} else if env.account != "" {
		st.pseudo["AWS::AccountId"] = env.account
	}
	for k, v := range l.pseudoArgs {
		st.pseudo[k] = v
	}
	if r, ok := st.pseudo["AWS::Region"]; ok {
		if _, set := st.pseudo["AWS::Partition"]; !set {
			st.pseudo["AWS::Partition"] = model.Partition(r)
		}
	}
	if p, ok := st.pseudo["AWS::Partition"]; ok {
		if _, set := st.pseudo["AWS::URLSuffix"]; !set {
			st.pseudo["AWS::URLSuffix"] = urlSuffix(p)
		}
	}
	rng := hcl.Range{Filename: st.file.name, Start: hcl.InitialPos, End: hcl.InitialPos}
	if a, ok := st.pseudo["AWS::AccountId"]; ok {
		st.account = model.Fact[string]{V: a, Known: true, Range: rng}
	} else {
		st.account = model.Fact[string]{Range: rng}
	}
	if r, ok := st.pseudo["AWS::Region"]; ok {
		st.region = model.Fact[string]{V: r, Known: true, Range: rng}
	} else {
		st.region = model.Fact[string]{Range: rng}
	}
}

// urlSuffix is AWS::URLSuffix in a partition.
func urlSuffix(partition string) string {
	if partition == "aws-cn" {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// readParams gives each declared parameter its value: the one given, else
// its default. Parameters whose type reads SSM stay unknown: their value
// is the parameter's content in SSM at deploy time.
func (l *loader) readParams(st *stack, values map[string]paramInput) {
	m := st.file.tree.Get("Parameters")
	if m == nil || m.Value.Kind != jsontree.Object {
		return
	}
	for _, pm := range m.Value.Members {
		p := &param{name: pm.Key, decl: pm.KeyRange}
		if tm := pm.Value.Get("Type"); tm != nil && tm.Value.Kind == jsontree.String {
			p.typ = tm.Value.Str
		}
		st.params[p.name] = p
		var given *jsontree.Value
		if in, ok := values[p.name]; ok {
			if in.val == nil {
				p.why = in.why
				continue
			}
			given = in.val
		} else if dm := pm.Value.Get("Default"); dm != nil {
			given = dm.Value
		}
		switch {
		case strings.HasPrefix(p.typ, "AWS::SSM::Parameter::Value<"):
			p.why = "parameter " + p.name + " reads its value from SSM Parameter Store at deploy time"
		case given == nil:
			p.why = "parameter " + p.name + " has no default and no value was given"
			if st.parent != nil {
				p.why = "parameter " + p.name + " of nested stack " + st.via.addr + " has no value"
			}
		case !l.spend(st, paramItems(p.typ, given), valueBytes*paramItems(p.typ, given), pm.KeyRange):
			p.why = "canpull stopped evaluating the stack before parameter " + p.name
		default:
			p.val = paramValue(p.typ, given)
			if p.val == nil {
				p.why = "the value of parameter " + p.name + " cannot be determined"
			}
		}
	}
}

// paramItems is how many values paramValue makes of v: what it costs.
func paramItems(typ string, v *jsontree.Value) int64 {
	if !isList(typ) {
		return 1
	}
	if v.Kind == jsontree.Array {
		return 1 + int64(len(v.Items))
	}
	s, _ := scalarString(v)
	return 2 + int64(strings.Count(s, ","))
}

// paramValue turns a given value into the parameter's: lists are split at
// commas.
func paramValue(typ string, v *jsontree.Value) *jsontree.Value {
	if v.Kind == jsontree.Unknown {
		return nil
	}
	if !isList(typ) {
		s, ok := scalarString(v)
		if !ok {
			return nil
		}
		return &jsontree.Value{Kind: jsontree.String, Str: s, Range: v.Range}
	}
	if v.Kind == jsontree.Array {
		out := &jsontree.Value{Kind: jsontree.Array, Range: v.Range}
		for _, it := range v.Items {
			s, ok := scalarString(it)
			if !ok {
				return nil
			}
			out.Items = append(out.Items, &jsontree.Value{Kind: jsontree.String, Str: s, Range: it.Range})
		}
		return out
	}
	s, ok := scalarString(v)
	if !ok {
		return nil
	}
	out := &jsontree.Value{Kind: jsontree.Array, Range: v.Range}
	if s == "" {
		return out
	}
	for _, part := range strings.Split(s, ",") {
		out.Items = append(out.Items, &jsontree.Value{Kind: jsontree.String, Str: strings.TrimSpace(part), Range: v.Range})
	}
	return out
}

// scalarString is the text of a string, number or boolean.
func scalarString(v *jsontree.Value) (string, bool) {
	switch v.Kind {
	case jsontree.String, jsontree.Number:
		return v.Str, true
	case jsontree.Bool:
		if v.Bool {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// condition evaluates a named condition of the Conditions section.
func (l *loader) condition(st *stack, name string, depth int) tri {
	if t, ok := st.condMemo[name]; ok {
		return t
	}
	if st.condBusy[name] || st.conditions == nil {
		return triUnknown
	}
	m := st.conditions.Get(name)
	if m == nil {
		return triUnknown
	}
	st.condBusy[name] = true
	t := l.condExpr(st, m.Value, depth+1)
	st.condBusy[name] = false
	st.condMemo[name] = t
	return t
}

// condExpr evaluates a condition function.
func (l *loader) condExpr(st *stack, v *jsontree.Value, depth int) tri {
	if depth > maxEvalDepth || v.Kind != jsontree.Object || len(v.Members) != 1 {
		return triUnknown
	}
	fn, arg := v.Members[0].Key, v.Members[0].Value
	ev := &evaluator{l: l, st: st}
	switch fn {
	case "Condition":
		if arg.Kind != jsontree.String {
			return triUnknown
		}
		return l.condition(st, arg.Str, depth)
	case "Fn::Equals":
		if arg.Kind != jsontree.Array || len(arg.Items) != 2 {
			return triUnknown
		}
		a, b := ev.eval(arg.Items[0], depth), ev.eval(arg.Items[1], depth)
		if !whollyKnown(a) || !whollyKnown(b) {
			return triUnknown
		}
		return triOf(equalValues(a, b))
	case "Fn::Not":
		if arg.Kind != jsontree.Array || len(arg.Items) != 1 {
			return triUnknown
		}
		switch l.condExpr(st, arg.Items[0], depth+1) {
		case triTrue:
			return triFalse
		case triFalse:
			return triTrue
		}
		return triUnknown
	case "Fn::And", "Fn::Or":
		if arg.Kind != jsontree.Array {
			return triUnknown
		}
		// And: one false decides, else one unknown makes it unknown.
		result, decides := triTrue, triFalse
		if fn == "Fn::Or" {
			result, decides = triFalse, triTrue
		}
		for _, it := range arg.Items {
			switch l.condExpr(st, it, depth+1) {
			case decides:
				return decides
			case triUnknown:
				result = triUnknown
			}
		}
		return result
	}
	return triUnknown
}

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}
