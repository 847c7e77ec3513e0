// Package jsontree parses JSON into a tree that remembers where every value
// and key was written, so that findings can point at the exact line and
// column of a task definition's field.
package jsontree

import "github.com/hashicorp/hcl/v2"

// Kind is the JSON type of a Value.
type Kind int

const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
	// Unknown stands for a value that could not be evaluated. The Terraform
	// adapter builds trees with it; Parse never produces it.
	Unknown
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	case Unknown:
		return "unknown value"
	}
	return "invalid kind"
}

// Value is one JSON value with its source range.
type Value struct {
	Kind Kind
	// Str is a String's unescaped value, or a Number as written.
	Str  string
	Bool bool
	// Members are an Object's members in source order, duplicates kept.
	Members []Member
	// Items are an Array's elements.
	Items []*Value
	// Range covers the whole value, brackets and quotes included.
	Range hcl.Range
}

// Member is one key of an object with its value.
type Member struct {
	Key      string
	KeyRange hcl.Range
	Value    *Value
}

// Get returns the last member named key, as encoding/json would decode it,
// or nil when there is none or v is not an object.
func (v *Value) Get(key string) *Member {
	if v == nil || v.Kind != Object {
		return nil
	}
	for i := len(v.Members) - 1; i >= 0; i-- {
		if v.Members[i].Key == key {
			return &v.Members[i]
		}
	}
	return nil
}
