package cloudformation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkLoad reads the CloudFormation fixtures' templates, YAML and JSON,
// as one scan: parsing, evaluation and the model.
func BenchmarkLoad(b *testing.B) {
	var files []File
	for _, pattern := range []string{"../../fixtures/*/cfn-*/*.yaml", "../../fixtures/*/cfn-*/*.json", "../../fixtures/*/cfn-*/*/*.json"} {
		names, _ := filepath.Glob(pattern)
		for _, n := range names {
			if strings.Contains(n, "/cfn-error-") {
				continue // a template CloudFormation would refuse: its error is the fixture
			}
			src, err := os.ReadFile(n)
			if err != nil {
				b.Fatal(err)
			}
			files = append(files, File{Name: n, Src: src})
		}
	}
	size := 0
	for _, f := range files {
		size += len(f.Src)
	}
	b.Run(fmt.Sprintf("files=%d/bytes=%d", len(files), size), func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(size))
		for range b.N {
			if _, diags := Load(files, Options{AccountID: "111122223333"}); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	})
}
