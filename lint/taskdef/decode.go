package taskdef

import (
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// decoder reads typed fields out of JSON objects. A value of the wrong type
// gets a diagnostic and becomes unknown: the document would not register,
// so canpull must not guess what it meant.
type decoder struct {
	diags hcl.Diagnostics
	// fills names the workflow step that fills in a container's image
	// (workflow.go); nil when none does.
	fills func(container string) string
	// filledBy says, by the range of an image, which step fills it in.
	filledBy map[hcl.Range]string
}

// sorted returns the diagnostics in the order of the document.
func (d *decoder) sorted() hcl.Diagnostics {
	sort.SliceStable(d.diags, func(i, j int) bool {
		a, b := d.diags[i].Subject, d.diags[j].Subject
		return a != nil && b != nil && a.Filename == b.Filename && a.Start.Byte < b.Start.Byte
	})
	return d.diags
}

// presence says what a field holds.
type presence int

const (
	absent  presence = iota // missing or null: AWS applies its default
	unknown                 // an Unknown node, or a value of the wrong type
	present                 // a value of the wanted kind
)

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// field returns obj's member key and whether it holds a value of kind want.
func (d *decoder) field(obj *jsontree.Value, path, key string, want jsontree.Kind) (*jsontree.Member, presence) {
	m := obj.Get(key)
	if m == nil {
		return nil, absent
	}
	return m, d.item(m.Value, join(path, key), want, true)
}

// item checks that v is of kind want. nullOK says whether null means
// "left out" (an object's field) rather than a mistake (an array element).
func (d *decoder) item(v *jsontree.Value, path string, want jsontree.Kind, nullOK bool) presence {
	switch {
	case v.Kind == want:
		return present
	case v.Kind == jsontree.Unknown:
		return unknown
	case v.Kind == jsontree.Null && nullOK:
		return absent
	}
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Wrong type for " + path,
		Detail:   fmt.Sprintf("%s must be %s, not %s. AWS would refuse this document.", path, article(want), article(v.Kind)),
		Subject:  v.Range.Ptr(),
	})
	return unknown
}

func article(k jsontree.Kind) string {
	switch k {
	case jsontree.Null:
		return "null"
	case jsontree.Array, jsontree.Object, jsontree.Unknown:
		return "an " + k.String()
	}
	return "a " + k.String()
}

// str reads a string field; def is AWS's default when it is left out.
func (d *decoder) str(obj *jsontree.Value, path, key, def string) model.Fact[string] {
	m, p := d.field(obj, path, key, jsontree.String)
	switch p {
	case absent:
		return model.DefaultFact(def, obj.Range)
	case unknown:
		return model.UnknownFact[string](m.Value.Range)
	}
	return model.KnownFact(m.Value.Str, m.Value.Range)
}

// ref reads a string field that names something: an ARN, an ID, a name.
// A missing field gives the zero Ref.
func (d *decoder) ref(obj *jsontree.Value, path, key string) model.Ref {
	m, p := d.field(obj, path, key, jsontree.String)
	switch p {
	case absent:
		return model.Ref{}
	case unknown:
		return model.Ref{Range: m.Value.Range}
	}
	return model.Ref{Value: m.Value.Str, Known: true, Range: m.Value.Range}
}

// strList reads an array of strings. One unknown element makes the whole
// list unknown, since a Fact holds the list as one value.
func (d *decoder) strList(obj *jsontree.Value, path, key string) model.Fact[[]string] {
	m, p := d.field(obj, path, key, jsontree.Array)
	switch p {
	case absent:
		return model.DefaultFact[[]string](nil, obj.Range)
	case unknown:
		return model.UnknownFact[[]string](m.Value.Range)
	}
	list := make([]string, 0, len(m.Value.Items))
	known := true
	for i, it := range m.Value.Items {
		if d.item(it, fmt.Sprintf("%s[%d]", join(path, key), i), jsontree.String, false) != present {
			known = false
			continue
		}
		list = append(list, it.Str)
	}
	if !known {
		return model.UnknownFact[[]string](m.Value.Range)
	}
	return model.KnownFact(list, m.Value.Range)
}

// refs reads an array of IDs such as subnets.
func (d *decoder) refs(obj *jsontree.Value, path, key string) model.Refs {
	m, p := d.field(obj, path, key, jsontree.Array)
	switch p {
	case absent:
		return model.Refs{Known: true, Range: obj.Range}
	case unknown:
		return model.Refs{Set: true, Range: m.Value.Range}
	}
	rs := model.Refs{Known: true, Set: true, Range: m.Value.Range, Items: make([]model.Ref, 0, len(m.Value.Items))}
	for i, it := range m.Value.Items {
		r := model.Ref{Range: it.Range}
		if d.item(it, fmt.Sprintf("%s[%d]", join(path, key), i), jsontree.String, false) == present {
			r.Value, r.Known = it.Str, true
		}
		rs.Items = append(rs.Items, r)
	}
	return rs
}

// integer reads a whole number.
func (d *decoder) integer(obj *jsontree.Value, path, key string, def int) model.Fact[int] {
	m, p := d.field(obj, path, key, jsontree.Number)
	switch p {
	case absent:
		return model.DefaultFact(def, obj.Range)
	case unknown:
		return model.UnknownFact[int](m.Value.Range)
	}
	if n, err := strconv.ParseInt(m.Value.Str, 10, 0); err == nil {
		return model.KnownFact(int(n), m.Value.Range)
	}
	// 1.0 and 1e2 are whole numbers too.
	if f, err := strconv.ParseFloat(m.Value.Str, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		return model.KnownFact(int(f), m.Value.Range)
	}
	d.diags = append(d.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Wrong type for " + join(path, key),
		Detail:   fmt.Sprintf("%s must be a whole number, not %s. AWS would refuse this document.", join(path, key), m.Value.Str),
		Subject:  m.Value.Range.Ptr(),
	})
	return model.UnknownFact[int](m.Value.Range)
}

// openRange is the first character of v, normally its "{": a narrow place
// to point at an object whose definition spans many lines.
func openRange(v *jsontree.Value) hcl.Range {
	r := v.Range
	if r.End.Line != r.Start.Line || r.End.Byte > r.Start.Byte+1 {
		r.End = hcl.Pos{Line: r.Start.Line, Column: r.Start.Column + 1, Byte: r.Start.Byte + 1}
	}
	return r
}

// DocOf records an object's keys as written, for the spelling rules.
func DocOf(v *jsontree.Value) *model.Doc { return docOf(v) }

// docOf records an object's keys for the spelling rules.
func docOf(v *jsontree.Value) *model.Doc {
	if v.Kind != jsontree.Object {
		return nil
	}
	doc := &model.Doc{Range: v.Range, Fields: make([]model.DocField, len(v.Members))}
	for i, m := range v.Members {
		f := model.DocField{Key: m.Key, KeyRange: m.KeyRange}
		switch m.Value.Kind {
		case jsontree.Object:
			f.Object = docOf(m.Value)
		case jsontree.Array:
			for _, it := range m.Value.Items {
				if it.Kind == jsontree.Object {
					f.Array = append(f.Array, docOf(it))
				}
			}
		}
		doc.Fields[i] = f
	}
	return doc
}
