package parsefloor

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParse(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf":                        "resource \"aws_s3_bucket\" \"b\" {}\n",
		"sub/broken.tf":                  "resource \"aws_s3_bucket\" {\n",
		"sub/notes.txt":                  "not configuration",
		".terraform/modules/m/main.tf":   "module \"m\" {}\n",
		".git/hooks/sample.tf":           "x = 1\n",
		"sub/.terraform.lock.hcl":        "",
		"sub/deeper/variables.tf":        "variable \"v\" {}\n",
		"sub/deeper/terraform.tfvars.tf": "v = 1\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := Parse(dir, 2)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Counts{Files: 4, Broken: 1}); got != want {
		t.Errorf("Parse = %+v, want %+v (the .tf files outside .terraform and .git, one broken)", got, want)
	}
	if _, err := Parse(filepath.Join(dir, "missing"), 1); err == nil {
		t.Error("Parse of a missing folder: no error")
	}
}
