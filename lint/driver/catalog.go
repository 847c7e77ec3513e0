package driver

import (
	"fmt"
	"strings"

	"github.com/agext/levenshtein"

	"github.com/canpull/canpull/lint"
)

// catalog is every rule that exists, run or not: ignore comments and the
// configuration may name a rule that this run leaves out.
type catalog []*lint.Rule

// lookup finds a rule by ID (any case) or name.
func (c catalog) lookup(n string) *lint.Rule {
	for _, r := range c {
		if strings.EqualFold(r.ID, n) || r.Name == n {
			return r
		}
	}
	return nil
}

// suggest returns "; did you mean X?" for the closest ID or name, if close.
func (c catalog) suggest(n string) string {
	best, bestDist := "", 1+min(3, len(n)/3)
	for _, r := range c {
		for _, cand := range []string{r.ID, r.Name} {
			if d := levenshtein.Distance(strings.ToLower(n), strings.ToLower(cand), nil); d < bestDist {
				best, bestDist = cand, d
			}
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}
