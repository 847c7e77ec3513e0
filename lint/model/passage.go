package model

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Passage is a place a value went through between where it is written and
// where a rule meets it: the module argument it was passed as, the line
// inside the module that uses it. A fact whose range is the place a value
// is written (a literal in the root module, a .tfvars line, a variable's
// default) rather than where a module uses it lists its passages, and every
// finding at that range shows them as related locations.
//
// One place can feed several module instances: a local passed to two calls
// of one module, a variable's default in a module called twice. Each
// instance's way is kept apart, so that a finding about one instance names
// its own way and not another's.
type Passage struct {
	Range   hcl.Range
	Message string
}

// instanceWay is the way of a value to one module instance.
type instanceWay struct {
	in  string // the instance's address: "module.svc", "" for the root module
	way []Passage
}

// AddPassages records the passages of the value written at at on its way
// to the module instance whose address is in ("" for the root module).
func (c *Config) AddPassages(at hcl.Range, in string, ps ...Passage) {
	if len(ps) == 0 {
		return
	}
	if c.passages == nil {
		c.passages = map[hcl.Range][]instanceWay{}
	}
	ways := c.passages[at]
	i := 0
	for i < len(ways) && ways[i].in != in {
		i++
	}
	if i == len(ways) {
		ways = append(ways, instanceWay{in: in})
	}
	w := &ways[i]
	for _, p := range ps {
		dup := false
		for _, h := range w.way {
			if h == p {
				dup = true
				break
			}
		}
		if !dup {
			w.way = append(w.way, p)
		}
	}
	c.passages[at] = ways
}

// PassagesIn returns the passages of the value written at at on its way to
// the module instance whose address is in, in order.
func (c *Config) PassagesIn(at hcl.Range, in string) []Passage {
	if c == nil {
		return nil
	}
	for _, w := range c.passages[at] {
		if w.in == in {
			return w.way
		}
	}
	return nil
}

// Passages returns the passages of the value written at at, in order, for
// a finding whose key (Finding.Key: an object's address, perhaps followed
// by more) names what it is about. Where the value feeds several module
// instances, they are the way to the instance that holds the object,
// "module.b" for "module.b.aws_ecs_task_definition.this/app". When the key
// names none of them, every instance's way is given, and a place that
// several ways go through says each way's words.
func (c *Config) Passages(at hcl.Range, key string) []Passage {
	if c == nil {
		return nil
	}
	ways := c.passages[at]
	switch len(ways) {
	case 0:
		return nil
	case 1:
		return ways[0].way
	}
	var best *instanceWay
	for i := range ways {
		w := &ways[i]
		if w.in != "" && !strings.HasPrefix(key, w.in+".") {
			continue
		}
		if best == nil || len(w.in) > len(best.in) {
			best = w
		}
	}
	if best != nil && (best.in != "" || !strings.HasPrefix(key, "module.")) {
		return best.way
	}
	return allWays(ways)
}

// allWays joins the ways to several instances: each place once, in the
// order first met, with the words of every way through it.
func allWays(ways []instanceWay) []Passage {
	var out []Passage
	at := map[hcl.Range]int{}
	for _, w := range ways {
		for _, p := range w.way {
			i, ok := at[p.Range]
			if !ok {
				at[p.Range] = len(out)
				out = append(out, p)
				continue
			}
			if !strings.Contains("; "+out[i].Message+"; ", "; "+p.Message+"; ") {
				out[i].Message += "; " + p.Message
			}
		}
	}
	return out
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
