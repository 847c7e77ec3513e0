package terraform

import "strings"

// The configuration files of a module: Terraform's .tf and .tf.json, and
// OpenTofu's .tofu and .tofu.json, read alike. When a folder holds both
// foo.tf and foo.tofu (or foo.tf.json and foo.tofu.json), OpenTofu reads
// only the .tofu one, and so does canpull: module authors write the pair to
// serve both tools, and Terraform, which ignores .tofu files, is the one
// that must not see the OpenTofu-only variant.
// https://opentofu.org/docs/language/files/#extension-precedence

// configSuffixes are the suffixes of configuration files, longest first.
var configSuffixes = []string{".tofu.json", ".tf.json", ".tofu", ".tf"}

// configSuffix returns the configuration-file suffix of name, or "".
func configSuffix(name string) string {
	for _, s := range configSuffixes {
		if strings.HasSuffix(name, s) {
			return s
		}
	}
	return ""
}

// isConfigFile reports whether name is a configuration file by its name.
func isConfigFile(name string) bool { return configSuffix(name) != "" }

// shadowed reports whether OpenTofu leaves name out because its .tofu twin
// is among the names of the same folder (has reports presence).
func shadowed(name string, has func(string) bool) bool {
	switch configSuffix(name) {
	case ".tf":
		return has(strings.TrimSuffix(name, ".tf") + ".tofu")
	case ".tf.json":
		return has(strings.TrimSuffix(name, ".tf.json") + ".tofu.json")
	}
	return false
}

// isVarsFile reports variable definition files, which belong to Terraform
// but are read only through their module or a flag.
func isVarsFile(name string) bool {
	return strings.HasSuffix(name, ".tfvars") || strings.HasSuffix(name, ".tfvars.json")
}
