package taskdef

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
)

func FuzzLoad(f *testing.F) {
	names, _ := filepath.Glob("testdata/*.json")
	fixtures, _ := filepath.Glob("../../fixtures/*/*/*.json")
	for _, n := range append(names, fixtures...) {
		src, err := os.ReadFile(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	for _, s := range []string{
		`{"serviceName": "a", "taskDefinition": "arn:aws:ecs:r:1:task-definition/a:1"}`,
		`{"services": [{"serviceName": "a", "capacityProviderStrategy": [{"weight": 1e3}]}, null]}`,
		`{"family": "a", "containerDefinitions": [{"logConfiguration": {"options": {"a": 1}}}]}`,
		`{"taskDefinition": {"family": "a", "revision": 99999999999999999999}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		kind := Detect(src)
		cfg, diags := Load([]File{{Name: "f.json", Src: src}, {Name: "svc.json", Src: []byte(`{"serviceName": "s", "taskDefinition": "a:1"}`)}})
		if cfg == nil {
			t.Fatal("nil config")
		}
		if kind == None && len(diags) > 0 {
			t.Fatalf("diagnostics for a file that is not ECS: %v", diags)
		}
		for _, d := range diags {
			if d.Subject == nil || d.Subject.Filename != "f.json" || d.Summary == "" {
				t.Fatalf("bad diagnostic %+v", d)
			}
		}
		for _, td := range cfg.TaskDefinitions {
			if !strings.HasPrefix(td.Addr, "f.json") {
				t.Fatalf("address %q", td.Addr)
			}
		}
		// The decoders must cope with any shape, not just ECS documents.
		if v, diags := jsontree.Parse("f.json", src, hcl.InitialPos); !diags.HasErrors() {
			DecodeContainers(v)
			DecodeTaskDefinition(v, "f.json")
		}
	})
}
