package lint_test

import (
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

func lineAt(file string, line int) hcl.Range {
	return hcl.Range{Filename: file, Start: hcl.Pos{Line: line, Column: 1}, End: hcl.Pos{Line: line, Column: 2}}
}

// A finding at a value written away from where it is used lists the way
// the value went; one inside a downloaded module moves to the module block
// that leads to it.
func TestPlace(t *testing.T) {
	mod := filepath.Join("root", ".terraform", "modules", "svc")
	cfg := &model.Config{Downloaded: []model.Downloaded{
		{Dir: mod, Call: lineAt("root/main.tf", 3), Addr: "module.svc"},
		{Dir: filepath.Join(mod, "modules", "inner"), Call: lineAt("root/main.tf", 3), Addr: "module.svc.module.inner"},
	}}
	cfg.AddPassages(lineAt("root/main.tf", 7), "module.svc", model.Passage{Range: lineAt(mod+"/main.tf", 40), Message: "used here, in module.svc"})
	rule := &lint.Rule{ID: "CP999", Name: "test", Severity: lint.Error, Run: func(p *lint.Pass) {
		p.Report(lint.Finding{Range: lineAt("root/main.tf", 7)})
		p.Report(lint.Finding{Range: lineAt(filepath.Join(mod, "modules", "inner", "main.tf"), 12)})
		p.Report(lint.Finding{Range: lineAt("root/other.tf", 1)})
	}}
	fs := lint.RunRule(rule, cfg)
	if len(fs) != 3 {
		t.Fatalf("findings: %d", len(fs))
	}
	if r := fs[0].Related; len(r) != 1 || r[0].Range.Start.Line != 40 || fs[0].Range.Start.Line != 7 {
		t.Errorf("passages: %+v at %v", r, fs[0].Range)
	}
	if f := fs[1]; f.Range != lineAt("root/main.tf", 3) || len(f.Related) != 1 || f.Related[0].Range.Start.Line != 12 ||
		f.Related[0].Message != "in module.svc.module.inner, which terraform init downloaded" {
		t.Errorf("downloaded: %+v", f)
	}
	if f := fs[2]; f.Range != lineAt("root/other.tf", 1) || len(f.Related) != 0 {
		t.Errorf("elsewhere: %+v", f)
	}
}
