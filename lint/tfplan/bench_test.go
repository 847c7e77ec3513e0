package tfplan

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
)

// benchSource is the real plan the large one is made of.
const benchSource = "../../fixtures/CP201/plan-fires-no-route/plan.json"

// bigPlan is a plan of about 30 MB: the resources of a real plan repeated
// in as many modules as it takes, as a large monorepo's plan would have
// them, with the configuration of each module.
var bigPlan = sync.OnceValues(func() ([]byte, error) {
	src, err := os.ReadFile(benchSource)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if err := json.Unmarshal(src, &doc); err != nil {
		return nil, err
	}
	pv := doc["planned_values"].(map[string]any)["root_module"].(map[string]any)
	rcs := doc["resource_changes"].([]any)
	cfgRoot := doc["configuration"].(map[string]any)["root_module"].(map[string]any)
	one, _ := json.MarshalIndent(doc, "", "  ")
	modules := 30<<20/len(one) + 1
	var children, changes []any
	calls := map[string]any{}
	for i := range modules {
		name := fmt.Sprintf("svc%d", i)
		prefix := "module." + name + "."
		var rs []any
		for _, r := range pv["resources"].([]any) {
			r := copyJSON(r).(map[string]any)
			r["address"] = prefix + r["address"].(string)
			rs = append(rs, r)
		}
		children = append(children, map[string]any{"address": "module." + name, "resources": rs})
		for _, rc := range rcs {
			rc := copyJSON(rc).(map[string]any)
			rc["address"] = prefix + rc["address"].(string)
			rc["module_address"] = "module." + name
			changes = append(changes, rc)
		}
		calls[name] = map[string]any{"source": "./svc", "module": copyJSON(cfgRoot)}
	}
	return json.MarshalIndent(map[string]any{
		"format_version": doc["format_version"], "terraform_version": doc["terraform_version"],
		"planned_values":   map[string]any{"root_module": map[string]any{"child_modules": children}},
		"resource_changes": changes,
		"configuration":    map[string]any{"provider_config": doc["configuration"].(map[string]any)["provider_config"], "root_module": map[string]any{"module_calls": calls}},
	}, "", "  ")
})

func copyJSON(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func benchPlan(b *testing.B) []byte {
	src, err := bigPlan()
	if err != nil {
		b.Skipf("no plan to build the benchmark from: %v", err)
	}
	return src
}

// BenchmarkLoad is the whole load: parse, index, follow references, build
// the model.
func BenchmarkLoad(b *testing.B) {
	src := benchPlan(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		res := Load("plan.json", src, Options{})
		if res.Config == nil || len(res.Config.Subnets) == 0 {
			b.Fatalf("no model: %v", res.Diags)
		}
	}
}

// BenchmarkParse is the share of the load that reading the JSON with its
// positions takes.
func BenchmarkParse(b *testing.B) {
	src := benchPlan(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, diags := jsontree.Parse("plan.json", src, hcl.InitialPos); diags.HasErrors() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkDecodeAgain is what decoding the plan a second time with
// encoding/json (as github.com/hashicorp/terraform-json does, into structs
// and interface values) would add to the load.
func BenchmarkDecodeAgain(b *testing.B) {
	src := benchPlan(b)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		var doc map[string]any
		if err := json.NewDecoder(strings.NewReader(string(src))).Decode(&doc); err != nil {
			b.Fatal(err)
		}
	}
}
