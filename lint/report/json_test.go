package report

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/canpull/canpull/lint/baseline"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

func TestJSONDecodes(t *testing.T) {
	res := testResult(t)
	var b bytes.Buffer
	if err := Write(&b, res, testOptions("json")); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	var doc JSONReport
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != JSONSchemaVersion || doc.Version != "1.2.3" {
		t.Errorf("schemaVersion %d version %q", doc.SchemaVersion, doc.Version)
	}
	if len(doc.Findings) != len(res.Findings) || len(doc.Errors) != len(res.Errors) {
		t.Fatalf("%d findings and %d errors", len(doc.Findings), len(doc.Errors))
	}
	wantFiles := []string{"/elsewhere/shared.tf", "taskdef.json", "main.tf", "main.tf", "main.tf", "main.tf", "main.tf", "missing.tf"}
	for i, f := range doc.Findings {
		if f.Range == nil || f.Range.File != wantFiles[i] {
			t.Errorf("finding %d: range %+v, want file %s", i, f.Range, wantFiles[i])
		}
		if f.Related == nil {
			t.Errorf("finding %d: related is null", i)
		}
		if f.Fingerprint == "" {
			t.Errorf("finding %d: no fingerprint", i)
		}
	}
	if got := doc.Findings[3].Related[0].Range.File; got != "network/vpc.tf" {
		t.Errorf("related file %q", got)
	}
	if doc.Errors[0].Range == nil || doc.Errors[1].Range != nil || doc.Errors[1].Severity != "warning" {
		t.Errorf("errors = %+v", doc.Errors)
	}
	if s := doc.Stats; s.Files != 5 || s.Unverified != 1 || s.Findings != (JSONCounts{Error: 4, Warning: 3, Note: 1}) {
		t.Errorf("stats = %+v", s)
	}
}

func TestJSONEmptyLists(t *testing.T) {
	res := &driver.Result{
		Findings: []lint.Finding{{RuleID: "CP1", Severity: lint.Error, Range: hcl.Range{Filename: "a.tf"}}},
	}
	for _, r := range []*driver.Result{nil, {}, res} {
		var b bytes.Buffer
		if err := Write(&b, r, Options{Format: "json"}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), "null") && r != res {
			t.Errorf("null in %s", b.String())
		}
		for _, key := range []string{`"findings": [`, `"errors": [`} {
			if !strings.Contains(b.String(), key) {
				t.Errorf("%s missing in %s", key, b.String())
			}
		}
		if r == res && !strings.Contains(b.String(), `"related": []`) {
			t.Errorf("related is not [] in %s", b.String())
		}
	}
}

func TestJSONNoHTMLEscaping(t *testing.T) {
	res := &driver.Result{Findings: []lint.Finding{{RuleID: "CP1", Severity: lint.Error, Message: "a <b> & c",
		Range: hcl.Range{Filename: "a.tf", Start: hcl.Pos{Line: 1, Column: 1}}}}}
	var b bytes.Buffer
	if err := Write(&b, res, Options{Format: "json"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"a <b> & c"`) {
		t.Errorf("message escaped: %s", b.String())
	}
}

// TestJSONDocumented checks that JSON.md names every field of the format.
func TestJSONDocumented(t *testing.T) {
	md, err := os.ReadFile("JSON.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{JSONReport{}, JSONFinding{}, JSONRelated{}, JSONRange{}, JSONPos{}, JSONError{}, JSONStats{}, JSONCounts{}, JSONSuppression{}, JSONPath{}, baseline.Entry{}} {
		typ := reflect.TypeOf(v)
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			if !bytes.Contains(md, []byte("`"+name+"`")) && !bytes.Contains(md, []byte(`"`+name+`"`)) {
				t.Errorf("JSON.md does not document %s.%s (%q)", typ.Name(), typ.Field(i).Name, name)
			}
		}
	}
}
