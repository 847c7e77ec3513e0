package tfplan

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

func FuzzLoad(f *testing.F) {
	plans, _ := filepath.Glob("../../fixtures/*/plan-*/plan.json")
	for _, n := range plans {
		src, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"aws_subnet.a","type":"aws_subnet","values":{"vpc_id":"vpc-0123456789abcdef0"}}]}}}`,
		`{"format_version":"1.2","errored":true,"resource_changes":[],"configuration":{"root_module":{"resources":[{"address":"aws_ecs_service.s","mode":"managed","type":"aws_ecs_service","name":"s","count_expression":{"constant_value":3},"expressions":{"network_configuration":[{"subnets":{"references":["aws_subnet.a"]}}]}}],"module_calls":{"m":{"for_each_expression":{"constant_value":["a"]},"module":{}}}}}}`,
		`{"format_version":"1.2","planned_values":{"root_module":{"child_modules":[{"address":"module.m[\"a.b\"]","resources":[{"address":"module.m[\"a.b\"].aws_vpc.v[0]","type":"aws_vpc","values":{}}]}]}},"resource_changes":[{"address":"module.m[\"a.b\"].aws_vpc.v[0]","change":{"after_unknown":{"cidr_block":true}}}]}`,
		`{"format_version":"2.0","planned_values":{}}`,
		`{"format_version":1,"planned_values":{}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		detected := Detect(src)
		res := Load("plan.json", src, Options{})
		for _, d := range res.Diags {
			if d.Subject == nil || d.Subject.Filename != "plan.json" || d.Summary == "" {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
		doc, diags := jsontree.Parse("plan.json", src, hcl.InitialPos)
		if diags.HasErrors() {
			return
		}
		if detected && doc.Kind == jsontree.Object && doc.Get("format_version") != nil && res.Config == nil && !res.Diags.HasErrors() {
			t.Fatal("a plan by its keys gave neither a model nor an error")
		}
		if res.Config == nil {
			return
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, td := range res.Config.TaskDefinitions {
			checkRange(t, td.Range, lines)
			for _, c := range td.Containers {
				checkRange(t, c.Image.Range, lines)
			}
		}
		for _, s := range res.Config.Services {
			checkRange(t, s.Range, lines)
			if s.Network != nil {
				for _, r := range s.Network.Subnets.Items {
					if r.Addr != "" && res.Config.Lookup(r.Addr) == nil {
						t.Fatalf("subnet %q is not in the model", r.Addr)
					}
				}
			}
		}
		for _, s := range res.Config.Subnets {
			checkRange(t, model.MetaOf(s).Range, lines)
		}
	})
}

// checkRange fails unless r is in the fuzzed file, or empty.
func checkRange(t *testing.T, r hcl.Range, lines int) {
	t.Helper()
	if r.Filename == "" {
		return
	}
	if r.Filename != "plan.json" || r.Start.Line < 1 || r.End.Line > lines {
		t.Fatalf("range %v outside plan.json (%d lines)", r, lines)
	}
}
