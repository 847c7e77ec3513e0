package terraform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/canpull/canpull/internal/heapwatch"
	"github.com/canpull/canpull/lint/terraform/budget"
)

// doubling returns locals that double a value n times, each from the last.
func doubling(first, next string, n int) string {
	var b strings.Builder
	b.WriteString("locals {\n  v0 = " + first + "\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  v%d = %s\n", i, strings.ReplaceAll(next, "PREV", fmt.Sprintf("local.v%d", i-1)))
	}
	b.WriteString("}\n")
	return b.String()
}

// TestHostileEvaluation evaluates configurations of a few lines that would
// build gigabytes (strings doubled through locals, %{for} directives and for
// expressions nested over ranges, setproduct) or walk 2^79 elements: each must
// end in a clear error at the expression that went over the budget, with the
// heap far below what the construction needs.
func TestHostileEvaluation(t *testing.T) {
	cluster := func(name string) string {
		return "resource \"aws_ecs_cluster\" \"c\" {\n  name = " + name + "\n}\n"
	}
	jsonDoubling := `{"locals": {"v0": "xxxxxxxxxxxxxxxx"`
	for i := 1; i <= 40; i++ {
		jsonDoubling += fmt.Sprintf(",\n  \"v%d\": \"${local.v%d}${local.v%d}\"", i, i-1, i-1)
	}
	jsonDoubling += "},\n\"resource\": {\"aws_ecs_cluster\": {\"c\": {\"name\": \"${local.v40}\"}}}}\n"
	// Most cases run with smaller limits (half the memory, an eighth of the
	// work): the meters and the blame work the same, in a fraction of the
	// time. One case of each meter (defaults) checks that the defaults
	// themselves hold.
	small := budget.Limits{Memory: budget.DefaultLimits.Memory / 2, Work: budget.DefaultLimits.Work / 8}
	cases := []struct {
		name  string
		files map[string]string
		// want is the error's summary; line is text on the line it points at.
		want, line string
		// defaults runs the case with the default limits.
		defaults bool
	}{
		{
			name:  "string doubled through locals",
			files: map[string]string{"main.tf": doubling(`"xxxxxxxxxxxxxxxx"`, `"${PREV}${PREV}"`, 40) + cluster("local.v40")},
			want:  "Evaluation uses too much memory", line: "${local.v", defaults: true,
		},
		{
			name:  "string doubled in JSON syntax",
			files: map[string]string{"main.tf.json": jsonDoubling},
			want:  "Evaluation uses too much memory", line: "${local.v",
		},
		{
			name:  "tuple doubled 79 times, then length",
			files: map[string]string{"main.tf": doubling(`[1]`, `[PREV, PREV]`, 79) + cluster("length(local.v79)")},
			want:  "Evaluation uses too much memory", line: "[local.v",
		},
		{
			name:  "resources that double through references alone",
			files: map[string]string{"main.tf": chainedResources(40) + cluster("length(jsonencode(aws_s3_bucket.r40))")},
			want:  "Evaluation uses too much memory", line: "tags = { a = aws_s3_bucket.r",
		},
		{
			name: "%{for} directives nested over ranges",
			files: map[string]string{"main.tf": "locals {\n  r = range(1024)\n" +
				`  big = "%{for a in local.r}%{for b in local.r}%{for c in local.r}xxxxxxxxxxxxxxxx%{endfor}%{endfor}%{endfor}"` +
				"\n}\n" + cluster("local.big")},
			want: "Evaluation does too much work", line: "%{for",
		},
		{
			name: "%{for} directives in a template file",
			files: map[string]string{
				"main.tf": cluster(`templatefile("${path.module}/t.tftpl", { r = range(1024) })`),
				"t.tftpl": "%{for a in r}%{for b in r}%{for c in r}xxxxxxxxxxxxxxxx%{endfor}%{endfor}%{endfor}",
			},
			want: "Evaluation does too much work", line: "%{for",
		},
		{
			name: "%{for} directives in a template_file's template",
			files: map[string]string{
				"main.tf": "data \"template_file\" \"t\" {\n  template = file(\"${path.module}/t.tpl\")\n  vars = { r = join(\",\", range(1024)) }\n}\n" +
					cluster("data.template_file.t.rendered"),
				"t.tpl": `%{for a in split(",", r)}%{for b in split(",", r)}%{for c in split(",", r)}xxxxxxxxxxxxxxxx%{endfor}%{endfor}%{endfor}`,
			},
			want: "Evaluation does too much work", line: "%{for",
		},
		{
			name: "for expressions that build large strings",
			files: map[string]string{"main.tf": `locals {
  big = join("", [for a in range(1024) : join("", [for b in range(1024) : join("", [for c in range(1024) : "xxxxxxxxxxxxxxxx"])])])
}
` + cluster("local.big")},
			want: "Evaluation does too much work", line: "join(",
		},
		{
			name: "a for expression over setproduct",
			files: map[string]string{"main.tf": `locals {
  all = [for p in setproduct(range(700), range(700)) : [for c in range(1024) : "${p[0]}-${p[1]}-${c}"]]
}
` + cluster("length(local.all)")},
			want: "Evaluation does too much work", line: "setproduct(", defaults: true,
		},
		{
			name: "large collections compared in a loop",
			files: map[string]string{"main.tf": `locals {
  big = [for i in range(200) : range(1000)]
  eq  = [for i in range(1024) : local.big == local.big]
}
` + cluster("length(local.eq)")},
			want: "Evaluation does too much work", line: "local.big == local.big", defaults: true,
		},
		{
			name:  "a number whose text is a hundred million digits",
			files: map[string]string{"main.tf": cluster(`"${1e99999999}"`)},
			want:  "Number too large", line: "1e99999999",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := writeFiles(t, c.files)
			runtime.GC()
			stop := heapwatch.Watch(1536 << 20)
			start := time.Now()
			opts := Options{Limits: small}
			if c.defaults {
				opts.Limits = budget.Limits{}
			}
			_, diags := Load(dir, opts)
			took := time.Since(start)
			peak := stop()
			t.Logf("error after %v, heap peak %d MiB", took.Round(time.Millisecond), peak>>20)
			if peak > 512<<20 {
				t.Errorf("the heap reached %d MiB", peak>>20)
			}
			var found bool
			for _, d := range diags {
				if d.Summary != c.want {
					continue
				}
				found = true
				if d.Subject == nil {
					t.Fatalf("%s has no place", d.Summary)
				}
				src, err := os.ReadFile(d.Subject.Filename)
				if err != nil {
					t.Fatal(err)
				}
				lines := strings.Split(string(src), "\n")
				if got := lines[d.Subject.Start.Line-1]; !strings.Contains(got, c.line) {
					t.Errorf("the error points at %s:%d, %q; want a line with %q", filepath.Base(d.Subject.Filename), d.Subject.Start.Line, got, c.line)
				}
			}
			if !found {
				t.Errorf("want an error %q, got %v", c.want, diags)
			}
		})
	}
}

// chainedResources declares n resources, each of which refers twice to the
// last: the value of the n-th holds 2^n copies of the first.
func chainedResources(n int) string {
	var b strings.Builder
	b.WriteString("resource \"aws_s3_bucket\" \"r0\" {\n  bucket = \"b\"\n}\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "resource \"aws_s3_bucket\" \"r%d\" {\n  bucket = \"b\"\n  tags = { a = aws_s3_bucket.r%d, b = aws_s3_bucket.r%d }\n}\n", i, i-1, i-1)
	}
	return b.String()
}

// TestEvaluationStops runs an evaluation that would go on for minutes, with
// budgets that never run out, and ends it by its timeout and by its
// context: Load returns with an error, and nothing of it keeps running.
func TestEvaluationStops(t *testing.T) {
	src := "locals {\n  r = range(1024)\n" +
		`  big = "%{for a in local.r}%{for b in local.r}%{for c in local.r}x%{endfor}%{endfor}%{endfor}"` +
		"\n}\nresource \"aws_ecs_cluster\" \"c\" {\n  name = local.big\n}\n"
	dir := writeFiles(t, map[string]string{"main.tf": src})
	before := runtime.NumGoroutine()
	huge := Options{Timeout: 100 * time.Millisecond}
	huge.Limits.Memory, huge.Limits.Work = 1<<50, 1<<50

	_, diags := Load(dir, huge)
	if len(diags) != 1 || diags[0].Summary != "Evaluation took too long" {
		t.Fatalf("got %v, want the timeout", diags)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	huge.Timeout = time.Hour
	_, diags = LoadContext(ctx, dir, huge)
	if len(diags) != 1 || diags[0].Summary != "Not finished" {
		t.Fatalf("got %v, want the run's deadline", diags)
	}

	// An evaluation that ran on after Load returned would show here.
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before Load, %d after", before, after)
	}
}
