// Package iam reads IAM policy documents and answers one question: may a
// principal do an action on a resource? It follows AWS's evaluation order
// (an explicit deny wins, then an allow, else the implicit deny), and answers
// Unknown wherever the document does not decide: a condition it cannot
// evaluate, a value the configuration does not know.
package iam

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Policy is a parsed policy document.
type Policy struct {
	// Version is the policy language version; policy variables such as
	// ${aws:username} are variables only in "2012-10-17".
	Version    string
	Statements []Statement
}

// Statement is one statement. Action, Resource and Principal lists keep the
// document's strings; the Not* flags say which form was used.
type Statement struct {
	Sid          string
	Allow        bool
	Actions      []string
	NotAction    bool
	Resources    []string
	NotResource  bool
	HasResource  bool
	Principals   map[string][]string // "AWS", "Service", "Federated", "*"
	NotPrincipal bool
	HasPrincipal bool
	Conditions   map[string]map[string][]string // operator → key → values
}

// Parse reads a JSON policy document. Statement, Action, Resource and
// principal values may each be a string or a list, as AWS allows.
func Parse(doc string) (*Policy, error) {
	var raw struct {
		Version   string
		Statement json.RawMessage
	}
	dec := json.NewDecoder(strings.NewReader(doc))
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("policy is not valid JSON: %w", err)
	}
	if len(raw.Statement) == 0 {
		return nil, fmt.Errorf("policy has no Statement")
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw.Statement, &list); err != nil {
		list = []json.RawMessage{raw.Statement}
	}
	p := &Policy{Version: raw.Version}
	for i, r := range list {
		st, err := parseStatement(r)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", i+1, err)
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

func parseStatement(r json.RawMessage) (Statement, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(r, &raw); err != nil {
		return Statement{}, fmt.Errorf("not an object")
	}
	var st Statement
	var effect string
	if e, ok := raw["Effect"]; ok {
		if err := json.Unmarshal(e, &effect); err != nil {
			return st, fmt.Errorf("the effect is not a string")
		}
	}
	switch effect {
	case "Allow":
		st.Allow = true
	case "Deny":
	default:
		return st, fmt.Errorf("the effect must be Allow or Deny, not %q", effect)
	}
	if s, ok := raw["Sid"]; ok {
		_ = json.Unmarshal(s, &st.Sid)
	}
	var err error
	if v, ok := raw["Action"]; ok {
		st.Actions, err = stringOrList(v)
	} else if v, ok := raw["NotAction"]; ok {
		st.Actions, err = stringOrList(v)
		st.NotAction = true
	}
	if err != nil {
		return st, fmt.Errorf("action: %w", err)
	}
	if v, ok := raw["Resource"]; ok {
		st.Resources, err = stringOrList(v)
		st.HasResource = true
	} else if v, ok := raw["NotResource"]; ok {
		st.Resources, err = stringOrList(v)
		st.NotResource, st.HasResource = true, true
	}
	if err != nil {
		return st, fmt.Errorf("resource: %w", err)
	}
	key := "Principal"
	if _, ok := raw["NotPrincipal"]; ok {
		key, st.NotPrincipal = "NotPrincipal", true
	}
	if v, ok := raw[key]; ok {
		st.HasPrincipal = true
		st.Principals, err = principals(v)
		if err != nil {
			return st, fmt.Errorf("%s: %w", strings.ToLower(key), err)
		}
	}
	if v, ok := raw["Condition"]; ok {
		var conds map[string]map[string]json.RawMessage
		if err := json.Unmarshal(v, &conds); err != nil {
			return st, fmt.Errorf("the condition is not an object of objects")
		}
		st.Conditions = map[string]map[string][]string{}
		for op, kv := range conds {
			st.Conditions[op] = map[string][]string{}
			for k, raw := range kv {
				vals, err := stringOrList(raw)
				if err != nil {
					return st, fmt.Errorf("condition %s %s: %w", op, k, err)
				}
				st.Conditions[op][k] = vals
			}
		}
	}
	return st, nil
}

func principals(v json.RawMessage) (map[string][]string, error) {
	var star string
	if err := json.Unmarshal(v, &star); err == nil {
		if star != "*" {
			return nil, fmt.Errorf("a string principal must be \"*\"")
		}
		return map[string][]string{"*": {"*"}}, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(v, &m); err != nil {
		return nil, fmt.Errorf("must be \"*\" or an object")
	}
	out := map[string][]string{}
	for k, raw := range m {
		vals, err := stringOrList(raw)
		if err != nil {
			return nil, err
		}
		out[k] = vals
	}
	return out, nil
}

// stringOrList reads a JSON string or list of strings. Numbers and
// booleans are accepted as strings, as AWS accepts an account ID written as
// a number and a Bool condition's value written as true.
func stringOrList(v json.RawMessage) ([]string, error) {
	if s, ok := scalar(v); ok {
		return []string{s}, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, fmt.Errorf("must be a string or a list of strings")
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, ok := scalar(x)
		if !ok {
			return nil, fmt.Errorf("must be a string or a list of strings")
		}
		out = append(out, s)
	}
	return out, nil
}

// scalar reads a JSON string, number or boolean as a string.
func scalar(v json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String(), true
	}
	var b bool
	if json.Unmarshal(v, &b) == nil {
		return fmt.Sprint(b), true
	}
	return "", false
}

// Rewrite returns a copy of the policy with every action, resource,
// principal and condition value passed through f. Rules use it to put a
// resource's ARN, as far as the configuration knows it, in place of the
// token that stands for it.
func (p *Policy) Rewrite(f func(string) string) *Policy {
	out := &Policy{Version: p.Version, Statements: make([]Statement, len(p.Statements))}
	list := func(in []string) []string {
		if in == nil {
			return nil
		}
		o := make([]string, len(in))
		for i, s := range in {
			o[i] = f(s)
		}
		return o
	}
	for i, st := range p.Statements {
		st.Actions = list(st.Actions)
		st.Resources = list(st.Resources)
		if st.Principals != nil {
			ps := make(map[string][]string, len(st.Principals))
			for k, v := range st.Principals {
				ps[k] = list(v)
			}
			st.Principals = ps
		}
		if st.Conditions != nil {
			cs := make(map[string]map[string][]string, len(st.Conditions))
			for op, keys := range st.Conditions {
				cs[op] = make(map[string][]string, len(keys))
				for k, v := range keys {
					cs[op][k] = list(v)
				}
			}
			st.Conditions = cs
		}
		out.Statements[i] = st
	}
	return out
}

// WithoutConditions returns a copy of the policy whose statements have no
// Condition elements: rules use it to tell a statement that does not
// apply from one whose condition fails.
func (p *Policy) WithoutConditions() *Policy {
	out := &Policy{Version: p.Version, Statements: make([]Statement, len(p.Statements))}
	for i, st := range p.Statements {
		st.Conditions = nil
		out.Statements[i] = st
	}
	return out
}
