package taskdef

import (
	"regexp"
	"strings"
)

// isPlaceholder reports whether a value is a template placeholder that a
// deployment pipeline fills in before it registers the task definition:
// "<IMAGE1_NAME>" (CodeDeploy blue/green), "${IMAGE}" (envsubst),
// "{{ must_env `IMAGE` }}" (ecspresso), "#{Image}" (Octopus), "$IMAGE",
// "REPOSITORY_URI:IMAGE_TAG" (a build step's sed). Its value is unknown,
// not wrong.
func isPlaceholder(s string) bool {
	switch {
	case strings.Contains(s, "<") && strings.Contains(s, ">"),
		strings.Contains(s, "${"), strings.Contains(s, "{{"), strings.Contains(s, "#{"):
		return true
	case strings.HasPrefix(s, "$") && len(s) > 1:
		return true
	}
	return capitalsName.MatchString(s)
}

// capitalsName is an image named by one word in capitals, with or without a
// tag: a repository name is lower-case, so no registry serves it, and it is
// the shape of a variable that a build step substitutes (sed
// s|REPOSITORY_URI|…|) rather than an image someone meant to pull.
var capitalsName = regexp.MustCompile(`^[A-Z][A-Z0-9_]*[A-Z0-9](:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$`)
