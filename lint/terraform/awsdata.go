package terraform

import (
	_ "embed"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/canpull/canpull/lint/model"
)

// A data source that canpull does not answer reads something AWS holds (an
// existing repository, a parameter's value). Its string attributes are still
// strings: each evaluates to a token naming the data source instance, as a
// resource's computed attributes do, so that one such value inside a
// container definition or a policy leaves the rest of it known. Rules treat
// tokens as unknown. Attributes of other types stay unknown.
//
// awsdata.txt lists the computed string attributes of every data source of
// the AWS provider. Regenerate it from the provider's schema:
//
//	terraform init -plugin-dir=/opt/tf-plugins   # a folder that requires hashicorp/aws
//	terraform providers schema -json | jq -r '.provider_schemas["registry.terraform.io/hashicorp/aws"]
//	  .data_source_schemas | to_entries[] | .key + " " + ([.value.block.attributes | to_entries[]
//	  | select(.value.type=="string" and .value.computed) | .key] | sort | join(" "))'
//
//go:embed awsdata.txt
var awsDataText string

// awsDataStrings maps a data source type to its computed string attributes.
var awsDataStrings = parseAWSData(awsDataText)

func parseAWSData(text string) map[string][]string {
	out := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		out[fields[0]] = fields[1:]
	}
	return out
}

// lookupValue is the value of a data source that reads AWS: its arguments
// as written, and a token for each computed string attribute left out.
func lookupValue(ri *resInst, strs []string) cty.Value {
	m := ri.block.value()
	for _, name := range strs {
		if v, ok := m[name]; !ok || v.IsNull() {
			m[name] = cty.StringVal(model.Token(ri.addr, name))
		}
	}
	return cty.ObjectVal(m)
}

// lookupByID answers data "aws_subnet" (and aws_vpc, aws_security_group)
// when its id names a resource of the configuration: the terraform-aws-
// modules ECS service module finds its security group's VPC this way. Any
// other lookup reads AWS.
func (ev *evaluator) lookupByID(ri *resInst) cty.Value {
	strs := awsDataStrings[ri.typ]
	a := ri.block.attrs["id"]
	if a == nil {
		return lookupValue(ri, strs)
	}
	s, ok := knownString(a.val)
	if !ok {
		return lookupValue(ri, strs)
	}
	t, ok := model.ParseToken(s)
	if !ok || t.Attr != "id" {
		return lookupValue(ri, strs)
	}
	target := ev.instance(t.Addr)
	if target == nil || !sameKind(target.typ, ri.typ) || !target.base.Type().IsObjectType() {
		return lookupValue(ri, strs)
	}
	m := target.base.AsValueMap()
	for _, name := range strs {
		if v, ok := m[name]; !ok || v.IsNull() {
			m[name] = cty.StringVal(model.Token(t.Addr, name))
		}
	}
	return cty.ObjectVal(m)
}

// sameKind reports whether a resource of type res is what data source typ
// looks up.
func sameKind(res, typ string) bool {
	return res == typ || res == "aws_default_"+strings.TrimPrefix(typ, "aws_")
}

// endpointServiceData is data "aws_vpc_endpoint_service": for an AWS
// service named by service, the provider asks for
// com.amazonaws.REGION.SERVICE in its own region; service_name is taken as
// written. service_type is what the service-type filter asks for. The rest
// reads AWS.
func endpointServiceData(ri *resInst, region model.Fact[string]) cty.Value {
	eb := ri.block
	if a := eb.attrs["region"]; a != nil && !(a.val.IsKnown() && a.val.IsNull()) {
		region = stringFact(a)
	}
	m := map[string]cty.Value{}
	for _, name := range awsDataStrings[ri.typ] {
		m[name] = cty.StringVal(model.Token(ri.addr, name))
	}
	name := cty.UnknownVal(cty.String)
	if s, ok := attrString(eb, "service_name"); ok {
		name = cty.StringVal(s)
	} else if svc, ok := attrString(eb, "service"); ok && region.Known && region.V != "" {
		name = cty.StringVal("com.amazonaws." + region.V + "." + svc)
	}
	m["service_name"] = name
	m["service_type"] = cty.UnknownVal(cty.String)
	for _, f := range eb.blocks {
		if f.typ != "filter" {
			continue
		}
		if n, ok := attrString(f, "name"); ok && n == "service-type" {
			if vs := attrStrings(f, "values"); len(vs) == 1 {
				m["service_type"] = cty.StringVal(vs[0])
			}
		}
	}
	if a := eb.attrs["service"]; a != nil {
		m["service"] = a.val
	}
	return cty.ObjectVal(m)
}

// instance returns the evaluated resource instance at addr, or nil.
func (ev *evaluator) instance(addr string) *resInst {
	for _, ri := range ev.all {
		if ri.addr == addr {
			return ri
		}
	}
	return nil
}
