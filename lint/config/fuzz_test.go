package config

import (
	"path/filepath"
	"testing"
)

// FuzzParse reads arbitrary configuration files: no panic, and every error
// has a place in the file.
func FuzzParse(f *testing.F) {
	f.Add(Starter(testRules))
	f.Add("fail_on = \"error\"\nrule \"CP301\" { severity = \"error\" }\n")
	f.Add("ignore {\n rules = [\"all\"]\n paths = [\"**/x/**/*.json\"]\n reason = \"r\"\n}\n")
	f.Add("exclude = [\"[\", \"a/**/b\"]\nrule {}\nrule \"a\" \"b\" {}\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src string) {
		path := filepath.Join(dir, FileName)
		c, diags := Parse([]byte(src), path, testRules)
		for _, d := range diags {
			if d.Subject == nil || d.Subject.Filename != path {
				t.Fatalf("error without a place: %v", d)
			}
		}
		if c != nil {
			c.Excluded(filepath.Join(dir, "a", "b", "x.json"))
			for _, ig := range c.Ignores {
				ig.Files(filepath.Join(dir, "x", "y.json"))
			}
		}
	})
}
