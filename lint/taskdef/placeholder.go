package taskdef

import "strings"

// isPlaceholder reports whether a value is a template placeholder that a
// deployment pipeline fills in before it registers the task definition:
// "<IMAGE1_NAME>" (CodeDeploy blue/green), "${IMAGE}" (envsubst),
// "{{ must_env `IMAGE` }}" (ecspresso), "#{Image}" (Octopus), "$IMAGE".
// Its value is unknown, not wrong.
func isPlaceholder(s string) bool {
	switch {
	case strings.Contains(s, "<") && strings.Contains(s, ">"),
		strings.Contains(s, "${"), strings.Contains(s, "{{"), strings.Contains(s, "#{"):
		return true
	case strings.HasPrefix(s, "$") && len(s) > 1:
		return true
	}
	return false
}
