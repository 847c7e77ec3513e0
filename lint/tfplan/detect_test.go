package tfplan

import (
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      bool
	}{
		{"plan", `{"format_version":"1.2","terraform_version":"1.11.4","planned_values":{}}`, true},
		{"pretty plan", "\ufeff{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": []\n}", true},
		{"variables first", `{"format_version":"1.2","variables":{"a":{"value":{"x":["}",{"y":1}]}}},"planned_values":{}}`, true},
		{"head ends in variables", `{"format_version":"1.2","terraform_version":"1.11.4","variables":{"a":{"value":"` + strings.Repeat("x", 100), true},
		{"head ends in the first key", `{"format_version":"1.2","terraform_v`, false},
		{"state", `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{}}}`, false},
		{"state head", `{"format_version":"1.0","terraform_version":"1.11.4","values":{"root_module":{"resources":[`, false},
		{"provider schemas", `{"format_version":"1.0","provider_schemas":{}}`, false},
		{"no format_version", `{"planned_values":{},"resource_changes":[]}`, false},
		{"nested keys do not count", `{"a":{"format_version":"1.2","planned_values":{}}}`, false},
		{"escaped key", `{"format_\u0076ersion":"1.2","planned_values":{}}`, false},
		{"task definition", `{"family":"app","containerDefinitions":[]}`, false},
		{"array", `[{"format_version":"1.2","planned_values":{}}]`, false},
		{"not JSON", `format_version planned_values`, false},
		{"empty", ``, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect([]byte(tc.src)); got != tc.want {
				t.Errorf("Detect(%q) = %v, want %v", tc.src, got, tc.want)
			}
		})
	}
}
