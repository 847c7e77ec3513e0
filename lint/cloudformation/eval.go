package cloudformation

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// The evaluator computes what a template's values will be when the stack
// is created: parameters take their values, conditions pick branches,
// Fn::Sub, Fn::Join and their friends build strings. A value that cannot be
// known (a parameter without a value, an export no scanned template makes,
// an attribute AWS computes) is a jsontree Unknown node, or, for an
// attribute of a resource of the scanned templates, a model token that
// names the resource, as the Terraform evaluator makes for computed
// attributes. Results keep the range where the expression is written, so
// that findings point into the resource that uses the value.

const (
	// maxEvalDepth bounds nested functions and chains of outputs.
	maxEvalDepth = 64
	// maxString bounds the length of a string the evaluator builds: no
	// value of a deployable template is longer.
	maxString = 1 << 20
)

// noValue is AWS::NoValue: the property or list element is removed.
var noValue = &jsontree.Value{Kind: jsontree.Null}

type evaluator struct {
	l  *loader
	st *stack
	// symbolic turns pseudo parameters without a value into tokens
	// instead of unknowns, for the few places that recognise a pattern
	// around them (CDK asset images, AWS-managed policy ARNs).
	symbolic bool
	// site is the function call being evaluated: what a budget overrun
	// inside it blames.
	site *hcl.Range
}

// blame is where an overrun at v is reported: the function call that
// evaluates it (a Fn::FindInMap rather than the mapping it copies), else v.
func (e *evaluator) blame(v hcl.Range) hcl.Range {
	if e.site != nil {
		return *e.site
	}
	return v
}

// pseudoAddr is the token address that stands for a pseudo parameter in
// symbolic evaluation.
const pseudoAddr = "AWS::"

func unknownAt(r hcl.Range) *jsontree.Value { return &jsontree.Value{Kind: jsontree.Unknown, Range: r} }

func strAt(s string, r hcl.Range) *jsontree.Value {
	return &jsontree.Value{Kind: jsontree.String, Str: s, Range: r}
}

// intrinsic returns the function name and argument of a value that is a
// function call: an object with the single key Ref or Fn::….
func intrinsic(v *jsontree.Value) (string, *jsontree.Value, bool) {
	if v.Kind != jsontree.Object || len(v.Members) != 1 {
		return "", nil, false
	}
	k := v.Members[0].Key
	if k == "Ref" || strings.HasPrefix(k, "Fn::") {
		return k, v.Members[0].Value, true
	}
	return "", nil, false
}

// eval evaluates v in the evaluator's stack.
func (e *evaluator) eval(v *jsontree.Value, depth int) *jsontree.Value {
	if !e.l.spend(e.st, 1, 0, e.blame(v.Range)) || depth > maxEvalDepth {
		return unknownAt(v.Range)
	}
	if fn, arg, ok := intrinsic(v); ok {
		saved := e.site
		e.site = &v.Range
		defer func() { e.site = saved }()
		return e.call(fn, arg, v.Range, depth+1)
	}
	switch v.Kind {
	case jsontree.Object:
		if !e.l.spend(e.st, 0, valueBytes*int64(1+len(v.Members)), e.blame(v.Range)) {
			return unknownAt(v.Range)
		}
		out := &jsontree.Value{Kind: jsontree.Object, Range: v.Range, Members: make([]jsontree.Member, 0, len(v.Members))}
		for _, m := range v.Members {
			ev := e.eval(m.Value, depth+1)
			if ev == noValue {
				continue
			}
			out.Members = append(out.Members, jsontree.Member{Key: m.Key, KeyRange: m.KeyRange, Value: ev})
		}
		return out
	case jsontree.Array:
		if !e.l.spend(e.st, 0, valueBytes*int64(1+len(v.Items)), e.blame(v.Range)) {
			return unknownAt(v.Range)
		}
		out := &jsontree.Value{Kind: jsontree.Array, Range: v.Range, Items: make([]*jsontree.Value, 0, len(v.Items))}
		for _, it := range v.Items {
			ev := e.eval(it, depth+1)
			if ev == noValue {
				continue
			}
			out.Items = append(out.Items, ev)
		}
		return out
	}
	return v
}

// call evaluates one intrinsic function written at rng.
func (e *evaluator) call(fn string, arg *jsontree.Value, rng hcl.Range, depth int) *jsontree.Value {
	switch fn {
	case "Ref":
		name, ok := e.literal(arg, depth)
		if !ok {
			return unknownAt(rng)
		}
		return e.ref(name, rng)
	case "Fn::GetAtt":
		return e.getAtt(arg, rng, depth)
	case "Fn::Sub":
		return e.sub(arg, rng, depth)
	case "Fn::Join":
		return e.join(arg, rng, depth)
	case "Fn::Select":
		return e.selectFn(arg, rng, depth)
	case "Fn::Split":
		return e.split(arg, rng, depth)
	case "Fn::If":
		return e.ifFn(arg, rng, depth)
	case "Fn::FindInMap":
		return e.findInMap(arg, rng, depth)
	case "Fn::ImportValue":
		name, ok := e.literal(arg, depth)
		if !ok {
			return unknownAt(rng)
		}
		return e.l.importValue(e.st, name, rng, depth)
	case "Fn::Base64":
		// Resources' tokens are encoded with the rest: decoding the user
		// data of a launch template gives them back.
		s, ok := e.literal(arg, depth)
		if !ok || !e.built(base64.StdEncoding.EncodedLen(len(s)), rng) {
			return unknownAt(rng)
		}
		return strAt(base64.StdEncoding.EncodeToString([]byte(s)), rng)
	case "Fn::Cidr":
		return e.cidr(arg, rng, depth)
	case "Fn::Length":
		v := e.eval(arg, depth)
		if v.Kind != jsontree.Array {
			return unknownAt(rng)
		}
		return &jsontree.Value{Kind: jsontree.Number, Str: strconv.Itoa(len(v.Items)), Range: rng}
	case "Fn::ToJsonString":
		v := e.eval(arg, depth)
		s, ok, tooLong := encodeJSON(v)
		if tooLong {
			e.l.tooLarge(e.st, rng)
		}
		if !ok || !e.built(len(s), rng) {
			return unknownAt(rng)
		}
		return strAt(s, rng)
	}
	// Fn::GetAZs (the zones of an account), Fn::Transform (a macro) and
	// anything newer: unknown.
	return unknownAt(rng)
}

// built charges a string of n bytes built at rng; false when it does not
// fit, or is longer than any value can be.
func (e *evaluator) built(n int, rng hcl.Range) bool {
	if n > maxString {
		e.l.tooLarge(e.st, rng)
		return false
	}
	return e.l.spend(e.st, 0, int64(n), rng)
}

// literal evaluates v to a string.
func (e *evaluator) literal(v *jsontree.Value, depth int) (string, bool) {
	return scalarString(e.eval(v, depth))
}

// ref is Ref: a parameter's value, a pseudo parameter, or a token that
// names a resource.
func (e *evaluator) ref(name string, rng hcl.Range) *jsontree.Value {
	st := e.st
	if name == "AWS::NoValue" {
		return noValue
	}
	if strings.HasPrefix(name, "AWS::") {
		if v, ok := st.pseudo[name]; ok {
			return strAt(v, rng)
		}
		if e.symbolic {
			return strAt(model.Token(pseudoAddr, name), rng)
		}
		e.l.notePseudo(st, name, rng)
		return unknownAt(rng)
	}
	if p := st.params[name]; p != nil {
		if p.val == nil {
			return unknownAt(rng)
		}
		return e.at(p.val, rng)
	}
	if r := st.byID[name]; r != nil {
		return strAt(model.Token(r.addr, refAttr(r.typ)), rng)
	}
	return unknownAt(rng)
}

// at copies a value to the place it is used, lists to their elements, at
// the cost of what it copies.
func (e *evaluator) at(v *jsontree.Value, rng hcl.Range) *jsontree.Value {
	if !e.l.spend(e.st, 1+int64(len(v.Items)), valueBytes*int64(1+len(v.Items)), rng) {
		return unknownAt(rng)
	}
	out := *v
	out.Range = rng
	if v.Kind == jsontree.Array {
		out.Items = make([]*jsontree.Value, len(v.Items))
		for i, it := range v.Items {
			out.Items[i] = e.at(it, rng)
		}
	}
	return &out
}

// getAtt is Fn::GetAtt: [LogicalID, Attribute] or "LogicalID.Attribute".
func (e *evaluator) getAtt(arg *jsontree.Value, rng hcl.Range, depth int) *jsontree.Value {
	var id, attr string
	switch arg.Kind {
	case jsontree.String:
		var ok bool
		id, attr, ok = strings.Cut(arg.Str, ".")
		if !ok {
			return unknownAt(rng)
		}
	case jsontree.Array:
		if len(arg.Items) != 2 || arg.Items[0].Kind != jsontree.String {
			return unknownAt(rng)
		}
		id = arg.Items[0].Str
		a, ok := e.literal(arg.Items[1], depth)
		if !ok {
			return unknownAt(rng)
		}
		attr = a
	default:
		return unknownAt(rng)
	}
	r := e.st.byID[id]
	if r == nil {
		return unknownAt(rng)
	}
	if out, ok := strings.CutPrefix(attr, "Outputs."); ok && r.typ == "AWS::CloudFormation::Stack" {
		child := e.st.nested[r.id]
		if child == nil {
			return unknownAt(rng)
		}
		return e.l.output(child, out, rng, depth)
	}
	if v, ok := e.attrFromProperty(r, attr, rng, depth); ok {
		return v
	}
	tokAttr, suffix := getAttAttr(r.typ, attr)
	return strAt(model.Token(r.addr, tokAttr)+suffix, rng)
}

// attrFromProperty answers the attributes that repeat a property: a VPC's
// CidrBlock, a group's or subnet's VpcId.
func (e *evaluator) attrFromProperty(r *resource, attr string, rng hcl.Range, depth int) (*jsontree.Value, bool) {
	prop := ""
	switch {
	case r.typ == "AWS::EC2::VPC" && attr == "CidrBlock":
		prop = "CidrBlock"
	case (r.typ == "AWS::EC2::SecurityGroup" || r.typ == "AWS::EC2::Subnet") && attr == "VpcId":
		prop = "VpcId"
	case r.typ == "AWS::EC2::Subnet" && (attr == "CidrBlock" || attr == "AvailabilityZone"):
		prop = attr
	default:
		return nil, false
	}
	pm := r.decl.Get("Properties")
	if pm == nil || pm.Value.Get(prop) == nil {
		return nil, false
	}
	key := attrKey{prop, e.symbolic}
	v, seen := r.attrs[key]
	if !seen {
		if depth > maxEvalDepth {
			return unknownAt(rng), true
		}
		// Evaluated once: properties that each read the one before twice
		// would otherwise be evaluated exponentially often.
		ev := &evaluator{l: e.l, st: r.st, symbolic: e.symbolic}
		v = ev.eval(pm.Value.Get(prop).Value, depth+1)
		if v.Kind == jsontree.Object || v.Kind == jsontree.Array || v == noValue {
			v = unknownAt(v.Range)
		}
		if r.attrs == nil {
			r.attrs = map[attrKey]*jsontree.Value{}
		}
		r.attrs[key] = v
	}
	return e.at(v, rng), true
}

// sub is Fn::Sub: "text ${Name} ${Res.Attr} ${!Literal}", or [text, {vars}].
func (e *evaluator) sub(arg *jsontree.Value, rng hcl.Range, depth int) *jsontree.Value {
	tmpl := arg
	var vars *jsontree.Value
	if arg.Kind == jsontree.Array {
		if len(arg.Items) == 0 || len(arg.Items) > 2 {
			return unknownAt(rng)
		}
		tmpl = arg.Items[0]
		if len(arg.Items) == 2 {
			vars = e.eval(arg.Items[1], depth)
			if vars.Kind != jsontree.Object {
				return unknownAt(rng)
			}
		}
	}
	if tmpl.Kind != jsontree.String {
		return unknownAt(rng)
	}
	s := tmpl.Str
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(name, "!") {
			b.WriteString("${" + name[1:] + "}")
			continue
		}
		name = strings.TrimSpace(name)
		var part *jsontree.Value
		if vars != nil && vars.Get(name) != nil {
			part = vars.Get(name).Value
		} else if id, attr, ok := strings.Cut(name, "."); ok && !strings.HasPrefix(name, "AWS::") {
			part = e.getAtt(strAt(id+"."+attr, rng), rng, depth+1)
		} else {
			part = e.ref(name, rng)
		}
		ps, ok := scalarString(part)
		if !ok {
			e.l.notePrefix(rng, b.String())
			return unknownAt(rng)
		}
		if !e.built(b.Len()+len(ps), rng) {
			return unknownAt(rng)
		}
		b.WriteString(ps)
	}
	return strAt(b.String(), rng)
}

// join is Fn::Join: [delimiter, [values]].
func (e *evaluator) join(arg *jsontree.Value, rng hcl.Range, depth int) *jsontree.Value {
	if arg.Kind != jsontree.Array || len(arg.Items) != 2 {
		return unknownAt(rng)
	}
	delim, ok := e.literal(arg.Items[0], depth)
	if !ok {
		return unknownAt(rng)
	}
	list := e.eval(arg.Items[1], depth)
	if list.Kind != jsontree.Array {
		return unknownAt(rng)
	}
	var b strings.Builder
	for i, it := range list.Items {
		s, ok := scalarString(it)
		if !ok {
			e.l.notePrefix(rng, b.String())
			return unknownAt(rng)
		}
		if i > 0 {
			s = delim + s
		}
		if !e.built(b.Len()+len(s), rng) {
			return unknownAt(rng)
		}
		b.WriteString(s)
	}
	return strAt(b.String(), rng)
}

// selectFn is Fn::Select: [index, [values]].
func (e *evaluator) selectFn(arg *jsontree.Value, rng hcl.Range, depth int) *jsontree.Value {
	if arg.Kind != jsontree.Array || len(arg.Items) != 2 {
		return unknownAt(rng)
	}
	is, ok := e.literal(arg.Items[0], depth)
	if !ok {
		return unknownAt(rng)
	}
	i, err := strconv.Atoi(is)
	if err != nil {
		return unknownAt(rng)
	}
	list := e.eval(arg.Items[1], depth)
	if list.Kind != jsontree.Array || i < 0 || i >= len(list.Items) {
		return unknownAt(rng)
	}
	return e.at(list.Items[i], rng)
}

// split is Fn::Split: [delimiter, string].
func (e *evaluator) split(arg *jsontree.Value, rng hcl.Range, depth int) *jsontree.Value {
	if arg.Kind != jsontree.Array || len(arg.Items) != 2 {
		return unknownAt(rng)
	}
	delim, ok1 := e.literal(arg.Items[0], depth)
	s, ok2 := e.literal(arg.Items[1], depth)
	if !ok1 || !ok2 || delim == "" {
		return unknownAt(rng)
	}
	n := 1 + int64(strings.Count(s, delim))
	if !e.l.spend(e.st, n, valueBytes*(1+n), rng) {
		return unknownAt(rng)
	}
	out := &jsontree.Value{Kind: jsontree.Array, Range: rng}
	for _, part := range strings.Split(s, delim) {
		out.Items = append(out.Items, strAt(part, rng))
	}
	return out
}

// ifFn is Fn::If: [condition, then, else]. When the condition is unknown
// the value is known only if both branches agree.
func (e *evaluator) ifFn(arg *jsontree.Value, rng hcl.Range, depth int) *jsontree.Value {
	if arg.Kind != jsontree.Array || len(arg.Items) != 3 || arg.Items[0].Kind != jsontree.String {
		return unknownAt(rng)
	}
	switch e.l.condition(e.st, arg.Items[0].Str, depth) {
	case triTrue:
		return e.eval(arg.Items[1], depth)
	case triFalse:
		return e.eval(arg.Items[2], depth)
	}
	a, b := e.eval(arg.Items[1], depth), e.eval(arg.Items[2], depth)
	if a != noValue && b != noValue && whollyKnown(a) && whollyKnown(b) && equalValues(a, b) {
		return a
	}
	return unknownAt(rng)
}

// findInMap is Fn::FindInMap: [map, top key, second key], with an optional
// {DefaultValue: …} of the language extensions.
func (e *evaluator) findInMap(arg *jsontree.Value, rng hcl.Range, depth int) *jsontree.Value {
	if arg.Kind != jsontree.Array || len(arg.Items) < 3 || len(arg.Items) > 4 {
		return unknownAt(rng)
	}
	var def *jsontree.Value
	if len(arg.Items) == 4 {
		if dm := arg.Items[3].Get("DefaultValue"); dm != nil {
			def = dm.Value
		}
	}
	keys := make([]string, 3)
	for i := range keys {
		k, ok := e.literal(arg.Items[i], depth)
		if !ok {
			return unknownAt(rng)
		}
		keys[i] = k
	}
	v := e.st.mappings
	for _, k := range keys {
		m := v.Get(k)
		if m == nil {
			if def != nil {
				return e.at(e.eval(def, depth), rng)
			}
			return unknownAt(rng)
		}
		v = m.Value
	}
	return e.at(e.eval(v, depth), rng)
}

// cidr is Fn::Cidr: [block, count, host bits per subnet].
func (e *evaluator) cidr(arg *jsontree.Value, rng hcl.Range, depth int) *jsontree.Value {
	if arg.Kind != jsontree.Array || len(arg.Items) != 3 {
		return unknownAt(rng)
	}
	var parts [3]string
	for i := range parts {
		s, ok := e.literal(arg.Items[i], depth)
		if !ok {
			return unknownAt(rng)
		}
		parts[i] = s
	}
	count, err1 := strconv.Atoi(parts[1])
	bits, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil {
		return unknownAt(rng)
	}
	blocks, ok := cidrSubnets(parts[0], count, bits)
	if !ok || !e.l.spend(e.st, int64(len(blocks)), valueBytes*int64(1+len(blocks)), rng) {
		return unknownAt(rng)
	}
	out := &jsontree.Value{Kind: jsontree.Array, Range: rng}
	for _, b := range blocks {
		out.Items = append(out.Items, strAt(b, rng))
	}
	return out
}

// whollyKnown reports whether a value holds no unknown and no token of a
// pseudo parameter.
func whollyKnown(v *jsontree.Value) bool {
	switch v.Kind {
	case jsontree.Unknown:
		return false
	case jsontree.String:
		for _, t := range model.Tokens(v.Str) {
			if t.Addr == pseudoAddr {
				return false
			}
		}
	case jsontree.Object:
		for _, m := range v.Members {
			if !whollyKnown(m.Value) {
				return false
			}
		}
	case jsontree.Array:
		for _, it := range v.Items {
			if !whollyKnown(it) {
				return false
			}
		}
	}
	return true
}

// equalValues compares two known values as CloudFormation does: scalars
// by their text.
func equalValues(a, b *jsontree.Value) bool {
	as, aok := scalarString(a)
	bs, bok := scalarString(b)
	if aok || bok {
		return aok && bok && as == bs
	}
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case jsontree.Array:
		if len(a.Items) != len(b.Items) {
			return false
		}
		for i := range a.Items {
			if !equalValues(a.Items[i], b.Items[i]) {
				return false
			}
		}
		return true
	case jsontree.Object:
		if len(a.Members) != len(b.Members) {
			return false
		}
		for i := range a.Members {
			if a.Members[i].Key != b.Members[i].Key || !equalValues(a.Members[i].Value, b.Members[i].Value) {
				return false
			}
		}
		return true
	}
	return a.Kind == b.Kind
}

// encodeJSON writes a known value as JSON; tokens stay in the strings.
// tooLong says that it failed for the text's length.
func encodeJSON(v *jsontree.Value) (s string, ok, tooLong bool) {
	var b strings.Builder
	if !writeJSON(&b, v, 0) {
		return "", false, b.Len() > maxString
	}
	return b.String(), true, false
}

func writeJSON(b *strings.Builder, v *jsontree.Value, depth int) bool {
	if depth > maxNesting || b.Len() > maxString {
		return false
	}
	switch v.Kind {
	case jsontree.Null:
		b.WriteString("null")
	case jsontree.Bool:
		b.WriteString(strconv.FormatBool(v.Bool))
	case jsontree.Number:
		if _, err := strconv.ParseFloat(v.Str, 64); err != nil {
			b.WriteString(strconv.Quote(v.Str)) // 0x1F and friends: as text
		} else {
			b.WriteString(v.Str)
		}
	case jsontree.String:
		b.WriteString(jsonQuote(v.Str))
	case jsontree.Array:
		b.WriteByte('[')
		for i, it := range v.Items {
			if i > 0 {
				b.WriteByte(',')
			}
			if !writeJSON(b, it, depth+1) {
				return false
			}
		}
		b.WriteByte(']')
	case jsontree.Object:
		b.WriteByte('{')
		for i, m := range v.Members {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(jsonQuote(m.Key))
			b.WriteByte(':')
			if !writeJSON(b, m.Value, depth+1) {
				return false
			}
		}
		b.WriteByte('}')
	default:
		return false
	}
	return true
}

// jsonQuote quotes a string as JSON does, keeping non-ASCII characters
// (the token delimiters among them) as they are.
func jsonQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
