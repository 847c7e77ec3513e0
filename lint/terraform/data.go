package terraform

import (
	"encoding/json"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/canpull/canpull/lint/iam"
	"github.com/canpull/canpull/lint/model"
)

// modeledData are the data sources canpull can answer without calling AWS.
// Every other data source is unknown.
var modeledData = map[string]bool{
	"aws_iam_policy_document": true,
	"aws_caller_identity":     true,
	"aws_region":              true,
	"aws_partition":           true,
	// An AWS-managed policy of iam's table, by ARN or name.
	"aws_iam_policy": true,
	// The service names of VPC endpoints, as the vpc-endpoints module of
	// terraform-aws-modules looks them up.
	"aws_vpc_endpoint_service": true,
	// Objects looked up by the ID of one of the configuration's resources.
	"aws_subnet": true, "aws_vpc": true, "aws_security_group": true,
}

func (ev *evaluator) dataValue(ri *resInst) cty.Value {
	p := ri.mod.providerFor(ri.res)
	region, account := p.settings(ev.l.opts.AccountID)
	str := func(known bool, s string) cty.Value {
		if !known {
			return cty.UnknownVal(cty.String)
		}
		return cty.StringVal(s)
	}
	// An account, region or partition that the configuration does not fix
	// is one token per provider configuration, so that an ARN built from
	// it keeps its other parts (arn:aws:ssm:eu-west-1:ACCOUNT:parameter/x
	// still matches arn:aws:ssm:*:*:parameter/*) and two ARNs of the same
	// account agree. Rules treat tokens as unknown.
	segment := func(f model.Fact[string], attr string) cty.Value {
		if !f.Known {
			return cty.StringVal(model.Token(p.key(), attr))
		}
		return cty.StringVal(f.V)
	}
	switch ri.typ {
	case "aws_caller_identity":
		return cty.ObjectVal(map[string]cty.Value{
			"account_id": segment(account, "account_id"),
			"id":         segment(account, "account_id"),
			"arn":        cty.UnknownVal(cty.String),
			"user_id":    cty.UnknownVal(cty.String),
		})
	case "aws_region":
		return cty.ObjectVal(map[string]cty.Value{
			"name":        segment(region, "region"),
			"region":      segment(region, "region"),
			"id":          segment(region, "region"),
			"endpoint":    cty.UnknownVal(cty.String),
			"description": cty.UnknownVal(cty.String),
		})
	case "aws_partition":
		partition, suffix := model.Partition(region.V), "amazonaws.com"
		if partition == "aws-cn" {
			suffix = "amazonaws.com.cn"
		}
		return cty.ObjectVal(map[string]cty.Value{
			"partition":          segment(model.Fact[string]{V: partition, Known: region.Known}, "partition"),
			"id":                 segment(model.Fact[string]{V: partition, Known: region.Known}, "partition"),
			"dns_suffix":         str(region.Known, suffix),
			"reverse_dns_prefix": cty.UnknownVal(cty.String),
		})
	case "aws_iam_policy":
		return managedPolicyData(ri.block, partition(region))
	case "aws_vpc_endpoint_service":
		return endpointServiceData(ri, region)
	case "aws_subnet", "aws_vpc", "aws_security_group":
		return ev.lookupByID(ri)
	case "template_file":
		if isTemplateFile(ri.mod, ri.res) {
			return ev.templateFileData(ri)
		}
	case "aws_iam_policy_document":
		doc := renderPolicyDocument(ri.block)
		return cty.ObjectVal(map[string]cty.Value{
			"json":          doc,
			"minified_json": doc,
			"id":            cty.UnknownVal(cty.String),
		})
	}
	return cty.DynamicVal
}

// providerFor returns the provider configuration a resource uses.
func (in *modInst) providerFor(r *resource) *provider {
	return in.providers[r.provider]
}

// policyStatement is a statement in IAM's JSON shape.
type policyStatement struct {
	Sid          string                         `json:"Sid,omitempty"`
	Effect       string                         `json:"Effect"`
	Action       any                            `json:"Action,omitempty"`
	NotAction    any                            `json:"NotAction,omitempty"`
	Resource     any                            `json:"Resource,omitempty"`
	NotResource  any                            `json:"NotResource,omitempty"`
	Principal    map[string]any                 `json:"Principal,omitempty"`
	NotPrincipal map[string]any                 `json:"NotPrincipal,omitempty"`
	Condition    map[string]map[string][]string `json:"Condition,omitempty"`
}

type policyDoc struct {
	Version   string            `json:"Version,omitempty"`
	ID        string            `json:"Id,omitempty"`
	Statement []json.RawMessage `json:"Statement"`
}

// renderPolicyDocument renders data "aws_iam_policy_document" into the JSON
// policy the provider would produce: source documents first, then this
// document's statements (replacing those with the same Sid), then override
// documents (likewise). Any unknown part makes the whole document unknown.
func renderPolicyDocument(eb *evalBlock) cty.Value {
	unknown := cty.UnknownVal(cty.String)
	if len(eb.unknownBlocks) > 0 {
		return unknown
	}
	doc := policyDoc{Version: "2012-10-17"}
	if a := eb.attrs["version"]; a != nil {
		s, ok := knownString(a.val)
		if !ok {
			return unknown
		}
		doc.Version = s
	}
	if a := eb.attrs["policy_id"]; a != nil {
		s, ok := knownString(a.val)
		if !ok {
			return unknown
		}
		doc.ID = s
	}
	var stmts []json.RawMessage
	var sids []string
	merge := func(raw json.RawMessage, sid string) {
		if sid != "" {
			for i, s := range sids {
				if s == sid {
					stmts[i] = raw
					return
				}
			}
		}
		stmts = append(stmts, raw)
		sids = append(sids, sid)
	}
	mergeDocs := func(attr string) bool {
		a := eb.attrs[attr]
		if a == nil || (a.val.IsKnown() && a.val.IsNull()) {
			return true
		}
		if !a.val.IsWhollyKnown() {
			return false
		}
		var docs []string
		if s, ok := knownString(a.val); ok {
			docs = []string{s} // source_json and override_json take one document
		} else if a.val.CanIterateElements() {
			docs = knownStrings(a.val)
			if docs == nil && a.val.LengthInt() > 0 {
				return false
			}
		} else {
			return false
		}
		for _, d := range docs {
			var parsed struct {
				Statement json.RawMessage
			}
			if err := json.Unmarshal([]byte(d), &parsed); err != nil {
				return false
			}
			var list []json.RawMessage
			if err := json.Unmarshal(parsed.Statement, &list); err != nil {
				list = []json.RawMessage{parsed.Statement}
			}
			for _, st := range list {
				var head struct{ Sid string }
				_ = json.Unmarshal(st, &head)
				merge(st, head.Sid)
			}
		}
		return true
	}
	if !mergeDocs("source_policy_documents") || !mergeDocs("source_json") {
		return unknown
	}
	for _, sb := range eb.blocks {
		if sb.typ != "statement" {
			continue
		}
		st, ok := renderStatement(sb)
		if !ok {
			return unknown
		}
		raw, err := json.Marshal(st)
		if err != nil {
			return unknown
		}
		merge(raw, st.Sid)
	}
	if !mergeDocs("override_policy_documents") || !mergeDocs("override_json") {
		return unknown
	}
	if stmts == nil {
		stmts = []json.RawMessage{}
	}
	doc.Statement = stmts
	out, err := json.Marshal(doc)
	if err != nil {
		return unknown
	}
	return cty.StringVal(string(out))
}

func renderStatement(sb *evalBlock) (policyStatement, bool) {
	st := policyStatement{Effect: "Allow"}
	if len(sb.unknownBlocks) > 0 {
		return st, false
	}
	for name, a := range sb.attrs {
		if !a.val.IsWhollyKnown() {
			return st, false
		}
		if a.val.IsNull() {
			continue
		}
		switch name {
		case "sid":
			st.Sid, _ = knownString(a.val)
		case "effect":
			st.Effect, _ = knownString(a.val)
		case "actions", "not_actions", "resources", "not_resources":
			list := knownStrings(a.val)
			if list == nil {
				continue
			}
			v := stringOrList(list)
			switch name {
			case "actions":
				st.Action = v
			case "not_actions":
				st.NotAction = v
			case "resources":
				st.Resource = v
			case "not_resources":
				st.NotResource = v
			}
		}
	}
	for _, b := range sb.blocks {
		switch b.typ {
		case "principals", "not_principals":
			typ, ok := attrString(b, "type")
			ids := attrStrings(b, "identifiers")
			if !ok || ids == nil {
				return st, false
			}
			target := &st.Principal
			if b.typ == "not_principals" {
				target = &st.NotPrincipal
			}
			if *target == nil {
				*target = map[string]any{}
			}
			if typ == "*" {
				(*target)["*"] = "*"
				continue
			}
			prev, _ := (*target)[typ].([]string)
			(*target)[typ] = append(prev, ids...)
		case "condition":
			test, ok1 := attrString(b, "test")
			variable, ok2 := attrString(b, "variable")
			values := attrStrings(b, "values")
			if !ok1 || !ok2 || values == nil {
				return st, false
			}
			if st.Condition == nil {
				st.Condition = map[string]map[string][]string{}
			}
			if st.Condition[test] == nil {
				st.Condition[test] = map[string][]string{}
			}
			st.Condition[test][variable] = append(st.Condition[test][variable], values...)
		}
	}
	return st, true
}

func stringOrList(list []string) any {
	if len(list) == 1 {
		return list[0]
	}
	return list
}

func attrString(b *evalBlock, name string) (string, bool) {
	a := b.attrs[name]
	if a == nil {
		return "", false
	}
	return knownString(a.val)
}

// attrStrings reads a list argument of a policy document block as
// strings: numbers and booleans become their text, as the provider renders
// them (values = [true], identifiers = [111122223333]).
func attrStrings(b *evalBlock, name string) []string {
	a := b.attrs[name]
	if a == nil || !a.val.IsWhollyKnown() || a.val.IsNull() || !a.val.CanIterateElements() {
		return nil
	}
	out := []string{}
	for it := a.val.ElementIterator(); it.Next(); {
		_, el := it.Element()
		v, err := convert.Convert(el, cty.String)
		if err != nil || v.IsNull() {
			return nil
		}
		out = append(out, v.AsString())
	}
	return out
}

// managedPolicyData is data "aws_iam_policy" for an AWS-managed policy of
// iam's table, found by arn or by name; any other policy is unknown.
func managedPolicyData(eb *evalBlock, partition string) cty.Value {
	arn, ok := attrString(eb, "arn")
	if !ok {
		name, ok := attrString(eb, "name")
		if !ok {
			return cty.DynamicVal
		}
		if arn, ok = iam.ManagedPolicyARN(partition, name); !ok {
			return cty.DynamicVal
		}
	}
	doc, ok := iam.ManagedDocument(arn)
	if !ok {
		return cty.DynamicVal
	}
	rest := arn[strings.Index(arn, ":policy/")+len(":policy"):]
	i := strings.LastIndexByte(rest, '/')
	return cty.ObjectVal(map[string]cty.Value{
		"arn":         cty.StringVal(arn),
		"id":          cty.StringVal(arn),
		"name":        cty.StringVal(rest[i+1:]),
		"path":        cty.StringVal(rest[:i+1]),
		"policy":      cty.StringVal(doc),
		"policy_id":   cty.UnknownVal(cty.String),
		"description": cty.UnknownVal(cty.String),
		"tags":        cty.DynamicVal,
	})
}
