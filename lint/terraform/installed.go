package terraform

import (
	"fmt"
	"strings"

	version "github.com/hashicorp/go-version"
)

// installed is what terraform init recorded for a module call in
// .terraform/modules/modules.json.
type installed struct {
	dir, source, version string
}

// stale says how the module installed for a call differs from what the
// call asks for, or "" when it does not (or canpull cannot tell): another
// source, or a version that does not meet the call's constraint. Terraform
// refuses to plan with such an install ("Module source has changed",
// "Module version requirements have changed").
func (l *loader) stale(key string, c *moduleCall) string {
	if isLocalSource(c.source) {
		return ""
	}
	inst, ok := l.registry[key]
	if !ok {
		return ""
	}
	want, ok1 := normalSource(c.source)
	have, ok2 := normalSource(inst.source)
	if ok1 && ok2 && want != have {
		return fmt.Sprintf("the call's source is %q, but terraform init installed %q", c.source, inst.source)
	}
	if c.version == "" || inst.version == "" {
		return ""
	}
	cons, err := version.NewConstraint(c.version)
	if err != nil {
		return ""
	}
	v, err := version.NewVersion(inst.version)
	if err != nil {
		return ""
	}
	if !cons.Check(v) {
		return fmt.Sprintf("version %s is installed, which does not meet the call's constraint %q", inst.version, c.version)
	}
	return ""
}

func isLocalSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")
}

// normalSource writes a module source the way terraform init records it, for
// the forms canpull can be sure of: registry addresses
// (registry.terraform.io/NAMESPACE/NAME/PROVIDER, in lower case, with the
// default host left out here) and git sources, GitHub's shorthand included.
// ok is false for any other form.
func normalSource(s string) (string, bool) {
	s = strings.TrimSpace(s)
	sub := ""
	if i := strings.Index(s, "//"); i >= 0 && !strings.Contains(s[:i], ":") {
		s, sub = s[:i], s[i:]
	}
	switch {
	case strings.HasPrefix(s, "git::"):
		return s, true
	case strings.HasPrefix(s, "github.com/"):
		// github.com/ORG/REPO?ref=x is git::https://github.com/ORG/REPO.git?ref=x
		path, query, _ := strings.Cut(s, "?")
		out := "git::https://" + strings.TrimSuffix(path, ".git") + ".git"
		if query != "" {
			out += "?" + query
		}
		return out + sub, true
	case strings.Contains(s, "::") || strings.Contains(s, "://"):
		return "", false
	}
	parts := strings.Split(s, "/")
	if len(parts) == 4 && strings.EqualFold(parts[0], "registry.terraform.io") {
		parts = parts[1:]
	}
	if len(parts) != 3 {
		return "", false
	}
	for _, p := range parts {
		if p == "" {
			return "", false
		}
	}
	return strings.ToLower(strings.Join(parts, "/")) + sub, true
}
