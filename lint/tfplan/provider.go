package tfplan

import (
	"regexp"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/terraform"
)

// providers reads the region and account of each aws provider
// configuration from configuration.provider_config: constant values, or a
// root variable's value. The account comes from allowed_account_ids with
// one entry, or from the ARN of the role the provider assumes, as for
// source.
func (p *plan) providerSettings() map[string]terraform.Provider {
	out := map[string]terraform.Provider{}
	for key, pc := range p.providers {
		if str(pc, "name") != "aws" {
			continue
		}
		exprs := get(pc, "expressions")
		var s terraform.Provider
		if m := exprs.Get("region"); m != nil {
			if v := p.exprValue(m.Value); v != nil && v.Kind == jsontree.String && regionShape.MatchString(v.Str) {
				s.Region = model.KnownFact(v.Str, v.Range)
			} else {
				s.Region = model.UnknownFact[string](memberRange(m))
			}
		}
		if m := exprs.Get("allowed_account_ids"); m != nil {
			if v := p.exprValue(m.Value); v != nil && v.Kind == jsontree.Array && len(v.Items) == 1 && v.Items[0].Kind == jsontree.String {
				s.Account = model.KnownFact(v.Items[0].Str, v.Items[0].Range)
			}
		}
		if roles := get(exprs, "assume_role"); roles != nil && roles.Kind == jsontree.Array && len(roles.Items) == 1 {
			if m := roles.Items[0].Get("role_arn"); m != nil {
				if v := p.exprValue(m.Value); v != nil && v.Kind == jsontree.String {
					if acct := model.ARNAccount(v.Str); acct != "" {
						s.Account = model.KnownFact(acct, v.Range)
					}
				}
			}
		}
		out[key] = s
	}
	return out
}

// exprValue is the value of a provider argument: its constant, or the
// value of the one root variable it names.
func (p *plan) exprValue(expr *jsontree.Value) *jsontree.Value {
	if c := constant(expr); c != nil {
		return c
	}
	refs := references(expr)
	if len(refs) != 1 {
		return nil
	}
	parts, ok := splitParts(refs[0])
	if !ok || len(parts) != 2 || parts[0].name != "var" {
		return nil
	}
	return p.variables[parts[1].name]
}

// regionShape is what a region looks like: "eu-west-1", "us-gov-east-1".
// A region written as a template around a variable ("us-${var.x}") has the
// same references as the variable alone: only a value of this shape is
// taken for the region.
var regionShape = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
