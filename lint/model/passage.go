package model

import "github.com/hashicorp/hcl/v2"

// Passage is a place a value went through between where it is written and
// where a rule meets it: the module argument it was passed as, the line
// inside the module that uses it. A fact whose range is the place a value
// is written (a literal in the root module, a .tfvars line, a variable's
// default) rather than where a module uses it lists its passages, and every
// finding at that range shows them as related locations.
type Passage struct {
	Range   hcl.Range
	Message string
}

// AddPassages records the passages of the value written at at.
func (c *Config) AddPassages(at hcl.Range, ps ...Passage) {
	if c.passages == nil {
		c.passages = map[hcl.Range][]Passage{}
	}
	have := c.passages[at]
	for _, p := range ps {
		dup := false
		for _, h := range have {
			if h == p {
				dup = true
				break
			}
		}
		if !dup {
			have = append(have, p)
		}
	}
	c.passages[at] = have
}

// Passages returns the passages of the value written at at, in order.
func (c *Config) Passages(at hcl.Range) []Passage {
	if c == nil {
		return nil
	}
	return c.passages[at]
}

// Downloaded is a module that terraform init put under .terraform: the
// user does not edit its files. A finding in them is reported at Call, the
// module block in the user's own files that (through other modules,
// perhaps) leads to it.
type Downloaded struct {
	// Dir is the module's folder, as the loader read it.
	Dir  string
	Call hcl.Range
	// Addr is the module call's address: "module.ecs_service".
	Addr string
}
