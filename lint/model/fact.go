// Package model is the provider-neutral picture of an ECS deployment: task
// definitions, services and everything between a task and its image. Adapters
// (Terraform, ECS JSON) fill it; rules read only it.
//
// Every fact carries the range it was written at and whether its value is
// known. "Unknown is not wrong": a rule that meets an unknown fact stops and
// reports nothing above a note.
package model

import "github.com/hashicorp/hcl/v2"

// Fact is one value of the configuration.
type Fact[T any] struct {
	V T
	// Known is false when the configuration does not determine the value: a
	// variable without a value, a data source, an expression canpull cannot
	// evaluate.
	Known bool
	// Set is true when the value was written in the source. When false, V
	// holds the default that AWS or the provider applies and Range points at
	// the enclosing block.
	Set   bool
	Range hcl.Range
}

// KnownFact is a value written in the source.
func KnownFact[T any](v T, r hcl.Range) Fact[T] {
	return Fact[T]{V: v, Known: true, Set: true, Range: r}
}

// DefaultFact is a value left out, so AWS's default v applies. r is where it
// would have been written (usually the enclosing block).
func DefaultFact[T any](v T, r hcl.Range) Fact[T] { return Fact[T]{V: v, Known: true, Range: r} }

// UnknownFact is a value written in the source that cannot be determined.
func UnknownFact[T any](r hcl.Range) Fact[T] { return Fact[T]{Set: true, Range: r} }

// Ref is a reference from one object of the model to another: a service's
// subnet, a task definition's execution role.
type Ref struct {
	// Addr is the address of the target object when the configuration names
	// one (a Terraform reference such as aws_subnet.a.id). Resolve it with
	// Config.Lookup.
	Addr string
	// Value is the literal value when one is known: "subnet-0abc", a role ARN.
	// A Ref with a Value but no Addr names something outside the configuration.
	Value string
	Known bool
	Range hcl.Range
}

// IsZero reports whether the reference was left out entirely.
func (r Ref) IsZero() bool {
	return !r.Known && r.Addr == "" && r.Value == "" && r.Range.Filename == ""
}

// Refs is a list of references, such as a service's subnets.
type Refs struct {
	Items []Ref
	// Known is false when the list as a whole cannot be determined (its
	// length is unknown). Single items may still be unknown when it is true.
	Known bool
	Set   bool
	Range hcl.Range
}

// AllKnown reports whether the list and each of its items are known.
func (rs Refs) AllKnown() bool {
	if !rs.Known {
		return false
	}
	for _, r := range rs.Items {
		if !r.Known {
			return false
		}
	}
	return true
}
