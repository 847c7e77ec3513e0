// Package ecsschema is the shape of the Amazon ECS documents canpull reads:
// every key that the ECS API accepts in a task definition, a container
// definition and a service, nested objects included, and which of them
// matter for pulling the image. It is data, taken from the ECS API
// reference (RegisterTaskDefinition, DescribeTaskDefinition, CreateService,
// DescribeServices and the types they nest), plus the lookups that the
// spelling rule needs.
package ecsschema

import "strings"

// Object is the set of keys one ECS API structure accepts.
type Object struct {
	// Name is the structure's name in the API reference ("ContainerDefinition").
	Name   string
	Fields []*Field
	byName map[string]*Field
	byFold map[string][]*Field
}

// Field is one key of an Object.
type Field struct {
	Name string
	// Object is the structure of the value, or of each element when the
	// value is a list. Nil for scalars, lists of scalars and maps whose keys
	// are free (logConfiguration.options, dockerLabels), and for output-only
	// structures that canpull does not check (deployments, events).
	Object *Object
	// Pull marks the fields whose loss breaks pulling the image: a
	// misspelling of one of them is an error, not a warning.
	Pull bool
	// Parent is the object the field belongs to.
	Parent *Object
	// Shape is the JSON shape of the value, where the API reference fixes
	// it: an array, or a single object.
	Shape Shape
	// API is the field's name in the ECS API: Name itself, except in the
	// CloudFormation spelling (Image is image there).
	API string
}

// Field returns the field named exactly name, or nil.
func (o *Object) Field(name string) *Field {
	if o == nil {
		return nil
	}
	return o.byName[name]
}

// Fold returns the field whose name equals name when case is ignored, the
// way Go's encoding/json matches keys, or nil when there is none. When
// several differ only in case (none do in ECS), the first wins.
func (o *Object) Fold(name string) *Field {
	if o == nil {
		return nil
	}
	if f := o.byName[name]; f != nil {
		return f
	}
	if fs := o.byFold[strings.ToLower(name)]; len(fs) > 0 {
		return fs[0]
	}
	return nil
}

// obj builds an Object from its fields, in the API reference's order.
func obj(name string, fields ...*Field) *Object {
	o := &Object{Name: name, Fields: fields, byName: map[string]*Field{}, byFold: map[string][]*Field{}}
	for _, f := range fields {
		f.Parent = o
		if f.API == "" {
			f.API = f.Name
		}
		o.byName[f.Name] = f
		low := strings.ToLower(f.Name)
		o.byFold[low] = append(o.byFold[low], f)
	}
	return o
}

// Shape is the JSON shape of a field's value.
type Shape int

const (
	// AnyShape is not checked: a scalar, a list of scalars, a map.
	AnyShape Shape = iota
	// ListShape is an array (of Object's, when the field has one).
	ListShape
	// ObjectShape is a single object of Object.
	ObjectShape
)

// Describe says what ECS expects of a field's value, for messages: "an
// array of PortMapping objects".
func (fd *Field) Describe() string {
	switch {
	case fd.Shape == ListShape && fd.Object != nil:
		return "an array of " + fd.Object.Name + " objects"
	case fd.Shape == ListShape:
		return "an array"
	case fd.Shape == ObjectShape && fd.Object != nil:
		return "one " + fd.Object.Name + " object"
	case fd.Shape == ObjectShape:
		return "an object"
	}
	return "a value"
}

// f is a scalar field, a list of scalars, or a map with free keys.
func f(name string) *Field { return &Field{Name: name} }

// list is a field whose value is an array of objects.
func list(name string, o *Object) *Field { return &Field{Name: name, Object: o, Shape: ListShape} }

// one is a field whose value is a single object.
func one(name string, o *Object) *Field { return &Field{Name: name, Object: o, Shape: ObjectShape} }

// pull marks a field that matters for pulling the image.
func pull(fd *Field) *Field {
	fd.Pull = true
	return fd
}

// scalars makes fields from names.
func scalars(names ...string) []*Field {
	out := make([]*Field, len(names))
	for i, name := range names {
		out[i] = f(name)
	}
	return out
}

func join(groups ...[]*Field) []*Field {
	var out []*Field
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}
