package terraform

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/canpull/canpull/internal/heapwatch"
	"github.com/canpull/canpull/lint/input"
	"github.com/canpull/canpull/lint/terraform/budget"
)

// FuzzEvalModules evaluates whole modules that a small grammar builds from
// the fuzz input: locals that refer to the ones before them (so values can
// double), templates, %{for} directives, for expressions, function calls
// that build strings and collections, comparisons and conditionals, with a
// task definition that reads the last local. Whatever the input, the
// evaluation must end within its budget: no panic, no internal error, and
// a heap that stays far below what the constructions would need (the
// budget here is 4 MiB of values; without it the second seed reaches a
// gigabyte in seconds).
func FuzzEvalModules(f *testing.F) {
	for _, seed := range []string{
		"",
		// 40 locals, each a template of its predecessor twice: a string
		// doubled 40 times; then the same with tuples.
		// (Each local: which local, which range, which construction,
		// how many parts; then each part: which local, range, reference.)
		"\x27" + strings.Repeat("\x01\x00\x03\x00\x01\x00\x00\x01\x00\x00", 40),
		"\x27" + strings.Repeat("\x01\x00\x04\x00\x01\x00\x00\x01\x00\x00", 40),
		"\x06\x01\x06\x06\x01\x07\x02", // for expressions and %{for} over ranges
		"\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11",
		"\x05\x02\x06\x03\x07\x04\x08\x05\x09\x06\x0a\x07",
	} {
		f.Add([]byte(seed))
	}
	const (
		memory    = 4 << 20
		heapBound = 128 << 20 // growth, live and not yet collected; the values alone are 4 MiB
	)
	f.Fuzz(func(t *testing.T, choices []byte) {
		if len(choices) > 512 {
			return
		}
		src := genModule(choices)
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		runtime.GC() // measure this evaluation, not the garbage of the last ones
		stop := heapwatch.Watch(1 << 30)
		start := time.Now()
		res, diags := Load(dir, Options{Timeout: 10 * time.Second, Limits: budget.Limits{Memory: memory, Work: 1_000_000}})
		took := time.Since(start)
		peak := stop()
		if res == nil || res.Config == nil {
			t.Fatalf("no configuration for\n%s", src)
		}
		for _, d := range diags {
			if input.IsInternal(d) {
				t.Fatalf("internal error: %s: %s\n%s", d.Summary, d.Detail, src)
			}
			if d.Summary == "Evaluation took too long" {
				t.Fatalf("the budget did not stop the evaluation before its timeout:\n%s", src)
			}
		}
		if peak > heapBound {
			t.Fatalf("the heap grew by %d MiB (bound %d MiB) in %v:\n%s", peak>>20, heapBound>>20, took, src)
		}
	})
}

// gen turns fuzz bytes into choices; past the end every choice is 0.
type gen struct {
	b []byte
	i int
}

func (g *gen) next(n int) int {
	if g.i >= len(g.b) {
		return 0
	}
	c := int(g.b[g.i])
	g.i++
	return c % n
}

// genModule writes locals l0 … lN, each an expression over the ones before.
func genModule(choices []byte) string {
	g := &gen{b: choices}
	var b strings.Builder
	b.WriteString("locals {\n  l0 = \"xxxxxxxx\"\n")
	n := 1 + g.next(40)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  l%d = %s\n", i, g.expr(i, 0))
	}
	fmt.Fprintf(&b, `}

resource "aws_ecs_task_definition" "t" {
  family = "t"
  container_definitions = jsonencode([{
    name  = "app"
    image = "nginx:${try(tostring(length(local.l%d)), "1")}"
    environment = [{ name = "V", value = try(tostring(local.l%d), jsonencode(local.l%d)) }]
  }])
}
`, n, n, n)
	return b.String()
}

// expr is one expression of local i at depth d: a reference to an earlier
// local, or a construction over smaller expressions.
func (g *gen) expr(i, d int) string {
	// Mostly the local just before: chains of locals double values.
	prev := i - 1
	if g.next(4) == 0 {
		prev = g.next(i)
	}
	ref := fmt.Sprintf("local.l%d", prev)
	if d >= 3 {
		return ref
	}
	sub := func() string { return g.expr(i, d+1) }
	rng := fmt.Sprintf("range(%d)", []int{2, 10, 100, 1024}[g.next(4)])
	switch g.next(18) {
	case 0:
		return ref
	case 1:
		return rng
	case 2:
		return fmt.Sprintf("%q", strings.Repeat("y", g.next(64)))
	case 3:
		var parts []string
		for range 2 + g.next(3) {
			parts = append(parts, "${"+sub()+"}")
		}
		return `"` + strings.Join(parts, "") + `"`
	case 4:
		var elems []string
		for range 2 + g.next(3) {
			elems = append(elems, sub())
		}
		return "[" + strings.Join(elems, ", ") + "]"
	case 5:
		return fmt.Sprintf("{ a = %s, b = %s }", sub(), sub())
	case 6:
		return fmt.Sprintf("[for x in %s : %s]", rng, sub())
	case 7:
		return fmt.Sprintf(`"%%{for x in %s}${%s}%%{endfor}"`, rng, sub())
	case 8:
		return fmt.Sprintf("concat(%s, %s)", g.list(i, d), g.list(i, d))
	case 9:
		return fmt.Sprintf(`join("-", %s)`, g.list(i, d))
	case 10:
		return fmt.Sprintf("setproduct(%s, %s)", g.list(i, d), g.list(i, d))
	case 11:
		return fmt.Sprintf("length(%s)", sub())
	case 12:
		return fmt.Sprintf("%s == %s", sub(), sub())
	case 13:
		return fmt.Sprintf("length(%s) > 3 ? %s : %s", ref, sub(), sub())
	case 14:
		return fmt.Sprintf("jsonencode(%s)", sub())
	case 15:
		return fmt.Sprintf("flatten([%s, %s])", sub(), sub())
	case 16:
		return fmt.Sprintf("{for k, v in %s : tostring(k) => v}", g.list(i, d))
	default:
		return fmt.Sprintf("format(\"%%s%%s\", %s, %s)", sub(), sub())
	}
}

// list is an expression that is (most often) a list.
func (g *gen) list(i, d int) string {
	switch g.next(3) {
	case 0:
		return fmt.Sprintf("range(%d)", []int{2, 10, 100, 1024}[g.next(4)])
	case 1:
		return fmt.Sprintf("[for x in range(%d) : local.l%d]", []int{2, 10, 100}[g.next(3)], g.next(i))
	default:
		return fmt.Sprintf("[%s]", g.expr(i, d+1))
	}
}
