package lint

import "github.com/canpull/canpull/lint/model"

// RunRule runs one rule over one configuration and returns its findings,
// for tests and benchmarks of single rules.
func RunRule(r *Rule, cfg *model.Config) []Finding {
	var out []Finding
	r.Run(NewPass(r, cfg, []*model.Config{cfg}, "", func(f Finding) { out = append(out, f) }))
	return out
}
