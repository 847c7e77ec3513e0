package lint

import "github.com/canpull/canpull/lint/model"

// RunRule runs one rule over one configuration and returns its findings,
// for tests and benchmarks of single rules.
func RunRule(r *Rule, cfg *model.Config) []Finding {
	var out []Finding
	pass := &Pass{Rule: r, Config: cfg, Scanned: []*model.Config{cfg}, report: func(f Finding) { out = append(out, f) }}
	r.Run(pass)
	return out
}
