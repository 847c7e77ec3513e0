package ecsschema

import (
	"strings"
	"unicode/utf8"
)

// Suggestion is the field a misspelt key was probably meant to be.
type Suggestion struct {
	Field *Field
	// Variant is true when the key differs from the field only in case or
	// in separators ("repository_credentials", "ExecutionRoleArn").
	Variant bool
	// Elsewhere is true when the field belongs to another object than the
	// one the key was written in (executionRoleArn inside a container
	// definition).
	Elsewhere bool
}

// Suggest finds the field that key was probably meant to be: first among
// the fields of here, then among those of the other objects, which are
// where a key written in the wrong place belongs. It returns false when no
// field is close enough to name.
func Suggest(key string, here *Object, others ...*Object) (Suggestion, bool) {
	best, bestRank := Suggestion{}, -1
	consider := func(o *Object, elsewhere bool) {
		if o == nil {
			return
		}
		for _, fd := range o.Fields {
			score, variant := nearness(key, fd.Name)
			if score > maxScore {
				continue
			}
			// A field of this object beats an equally near one elsewhere.
			rank := 2 * score
			if elsewhere {
				rank++
			}
			if bestRank < 0 || rank < bestRank {
				best, bestRank = Suggestion{Field: fd, Variant: variant, Elsewhere: elsewhere}, rank
			}
		}
	}
	consider(here, false)
	for _, o := range others {
		if o != here {
			consider(o, true)
		}
	}
	return best, best.Field != nil
}

// maxScore bounds how far a suggestion may be.
const maxScore = 5

// nearness scores how close key is to name (0 is closest), or more than
// maxScore when it is no near miss. variant is true when they differ only
// in case and separators.
func nearness(key, name string) (score int, variant bool) {
	k, nm := normalize(key), normalize(name)
	if k == "" {
		return maxScore + 1, false
	}
	if k == nm {
		return 0, true
	}
	d := Distance(k, nm)
	limit := utf8.RuneCountInString(nm) / 3
	if limit < 1 {
		limit = 1
	}
	if d <= limit && d <= maxScore {
		return d, false
	}
	// A longer name that holds the whole field name: taskExecutionRoleArn
	// for executionRoleArn.
	if len(nm) >= 8 && strings.Contains(k, nm) {
		return maxScore, false
	}
	return maxScore + 1, false
}

// normalize lowers case and drops the separators people put in keys, so
// that repository_credentials and RepositoryCredentials meet
// repositoryCredentials.
func normalize(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '_', '-', ' ', '.':
			return -1
		}
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// maxCompared bounds the work of distance on hostile input: keys longer
// than this are never near misses of an ECS field name.
const maxCompared = 64

// Distance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > maxCompared || len(rb) > maxCompared {
		return maxCompared
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
