package rules

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/inputs"
	"github.com/canpull/canpull/lint/model"
)

// A container whose name is unknown or empty is named by its place among
// the task definition's containers ("container #2"): every fixture is
// linted again with no container named (the first unknown, the second
// empty, and so on), and no finding's text may show a blank where a name
// goes, nor break checkTexts.
func TestTextsUnnamedContainers(t *testing.T) {
	t.Parallel()
	cases, err := filepath.Glob(filepath.Join(fixturesDir, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var reported atomic.Int64
	t.Run("fixtures", func(t *testing.T) {
		for _, dir := range cases {
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				continue
			}
			rel, _ := filepath.Rel(fixturesDir, dir)
			t.Run(filepath.ToSlash(rel), func(t *testing.T) {
				t.Parallel()
				reported.Add(int64(lintUnnamed(t, dir, filepath.ToSlash(rel))))
			})
		}
	})
	if n := reported.Load(); n < 100 {
		t.Errorf("only %d findings without container names: the fixtures were not linted", n)
	}
}

// lintUnnamed lints one fixture with no container named, checks the
// findings' texts, and says how many there were.
func lintUnnamed(t *testing.T, dir, rel string) int {
	opts := driver.Options{Paths: []string{dir}, Rules: append(All(), lint.UnverifiedInput), ShowUnverified: true}
	var in inputs.Options
	readFlags(t, dir, &opts, &in)
	serveRegistry(t, dir, &opts)
	for _, i := range inputs.All(in) {
		opts.Inputs = append(opts.Inputs, unnamedInput{i})
	}
	findings := driver.Run(context.Background(), opts).Findings
	for _, f := range findings {
		where := rel + ": " + f.RuleID + " at " + f.Range.String()
		checkTexts(t, f) // the headline and the body
		for _, p := range blankNames(f.Fix, false) {
			t.Errorf("%s: the fix %s: %q", where, p, f.Fix)
		}
		for _, r := range f.Related {
			for _, p := range blankNames(r.Message, true) {
				t.Errorf("%s: a related location's message %s: %q", where, p, r.Message)
			}
		}
	}
	return len(findings)
}

// blankContainer is "container" where a name should follow and none does.
var blankContainer = regexp.MustCompile(`(?i)(?:^|[^\w-])container (of\b|[ ,.;:)'"]|$)`)

// blankNames lists the signs of a name left blank in a text: an empty
// quoted name, "container" with no name after it, and (in one-line texts,
// where no code is indented) two spaces in a row.
func blankNames(text string, oneLine bool) []string {
	var out []string
	if strings.Contains(text, `""`) {
		out = append(out, `has an empty quoted name ""`)
	}
	if m := blankContainer.FindString(text); m != "" {
		out = append(out, "names no container ("+strings.TrimSpace(m)+")")
	}
	if oneLine && strings.Contains(text, "  ") {
		out = append(out, "has two spaces in a row")
	}
	return out
}

// unnamedInput is an input whose containers have no name.
type unnamedInput struct{ input.Input }

func (u unnamedInput) Load(ctx context.Context, files []input.File, env input.Env) input.Loaded {
	return unnamed(u.Input.Load(ctx, files, env))
}

func unnamed(l input.Loaded) input.Loaded {
	for _, cfg := range l.Configs {
		for _, td := range cfg.TaskDefinitions {
			for i, c := range td.Containers {
				if i%2 == 0 {
					c.Name = model.Fact[string]{Range: c.Name.Range}
				} else {
					c.Name = model.KnownFact("", c.Name.Range)
				}
			}
		}
	}
	if more := l.LoadMentioning; more != nil {
		l.LoadMentioning = func(ctx context.Context, names []string) input.Loaded { return unnamed(more(ctx, names)) }
	}
	return l
}

func TestBlankNames(t *testing.T) {
	for _, tc := range []struct {
		text    string
		oneLine bool
		blank   bool
	}{
		{"container  pulls nginx by the tag latest", true, true},
		{"container pulls nginx", true, false}, // "pulls" may be a name
		{"Container  of svc pulls nginx", false, true},
		{"Container of svc pulls nginx", false, true},
		{"the awslogs options of container , which", true, true},
		{`repository "" is declared here`, true, true},
		{"container #2 pulls nginx by the tag latest", true, false},
		{"Container web of svc pulls nginx.\n  indented code", false, false},
		{"secrets (container )", true, true},
		{"Container my-container of svc pulls nginx", false, false},
		{"the log group of container 's awslogs", true, true},
		{"as a sidecar container, to every task", false, false},
		{"`Container.image should not be null`; set the container's image", false, false},
	} {
		if got := blankNames(tc.text, tc.oneLine); (len(got) > 0) != tc.blank {
			t.Errorf("%q: %q, want blank=%v", tc.text, got, tc.blank)
		}
	}
}
