package model

import "strings"

// Terraform evaluates a module once per instance (count, for_each, or one
// module block per call), and addresses what each instance holds with the
// instance's address as a prefix. The configuration records the instances
// it evaluated, so that a finding can say which one it is about without
// guessing at its text.

// AddModule records the address of a module instance the configuration
// evaluated: "module.app", "module.app[\"a\"].module.task".
func (c *Config) AddModule(addr string) {
	if addr == "" {
		return
	}
	if c.modules == nil {
		c.modules = map[string]bool{}
	}
	c.modules[addr] = true
}

// ModuleOf returns the module instance that holds what key (an address,
// perhaps followed by more: "module.a.aws_ecs_task_definition.this/app")
// names: the longest recorded instance address that key starts with,
// followed by ".". It is "" for the root module and outside Terraform.
func (c *Config) ModuleOf(key string) string {
	if c == nil || len(c.modules) == 0 || !strings.HasPrefix(key, "module.") {
		return ""
	}
	best := ""
	for i := range len(key) {
		if key[i] == '.' && c.modules[key[:i]] {
			best = key[:i]
		}
	}
	return best
}
