package cloudformation

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/canpull/canpull/internal/heapwatch"
	"github.com/canpull/canpull/lint/input"
)

// FuzzEvalTemplates evaluates templates that a small grammar builds from
// the fuzz input: outputs that read earlier outputs (so values can double
// or fan out), Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::FindInMap of a
// long mapping value, a long list parameter, Fn::ToJsonString, Fn::Base64,
// Fn::If on a condition canpull cannot decide, resources that read the
// outputs, and nested stacks fanned out over levels. Whatever the input,
// evaluation must end within its budget: no panic, no internal error,
// every error at a place in a file, and a heap far below what the
// constructions would need (the budget here is 4 MiB of values).
func FuzzEvalTemplates(f *testing.F) {
	// The input's bytes, in order: the mapping value's and the list
	// parameter's length (powers of two), how many outputs, then for each
	// output its construction, how many parts, and for each part which
	// output before it it reads; how many resources and which output each
	// reads; the nested stacks' fan-out and depth.
	// The mapping value (128 KiB), then outputs that each join the one
	// before twice.
	doubling := []byte{16, 0, 5, 4, 0, 0, 1}
	for i := 2; i < 6; i++ {
		doubling = append(doubling, 0, 1, byte(i-1), byte(i-1))
	}
	doubling = append(doubling, 0, 5)
	// A mapping value of 32,768 items and a list parameter of 8,192; Fn::Split
	// of the one, and the other, read by 30 resources.
	lists := []byte{15, 13, 3, 4, 0, 3, 0, 5, 0, 3, 0, 0, 29}
	for i := range 30 {
		lists = append(lists, byte(1+2*(i%2)))
	}
	for _, seed := range [][]byte{
		{},
		doubling,
		lists,
		{0, 0, 0, 0, 0, 0, 7, 4}, // nested stacks, 7 in each of 4 levels
		{4, 4, 9, 6, 2, 0, 7, 1, 0, 9, 1, 0, 1, 2, 1, 1, 3, 3, 8, 2, 1, 2, 2, 3, 2, 2},
	} {
		f.Add(seed)
	}
	const heapBound = 192 << 20 // growth, live and not yet collected; the values alone are 4 MiB
	f.Fuzz(func(t *testing.T, choices []byte) {
		if len(choices) > 512 {
			return
		}
		files := genTemplates(choices)
		runtime.GC() // measure this evaluation, not the garbage of the last ones
		stop := heapwatch.Watch(1 << 30)
		start := time.Now()
		res, diags := Load(files, Options{Limits: Limits{Memory: 4 << 20, Work: 200_000, Stacks: 100}})
		took := time.Since(start)
		peak := stop()
		if res == nil {
			t.Fatalf("no result for\n%s", files[0].Src)
		}
		for _, d := range diags {
			if input.IsInternal(d) {
				t.Fatalf("internal error: %s: %s\n%s", d.Summary, d.Detail, files[0].Src)
			}
			if d.Subject == nil || d.Subject.Filename == "" {
				t.Fatalf("%s without a place: %s\n%s", d.Summary, d.Detail, files[0].Src)
			}
		}
		if peak > heapBound {
			t.Fatalf("the heap grew by %d MiB (bound %d MiB) in %v:\n%s", peak>>20, heapBound>>20, took, files[0].Src)
		}
	})
}

// gen turns fuzz bytes into choices; past the end every choice is 0.
type gen struct {
	b []byte
	i int
}

// next is a choice in [0, n); a choice of one takes no byte.
func (g *gen) next(n int) int {
	if n <= 1 {
		return 0
	}
	if g.i >= len(g.b) {
		return 0
	}
	c := int(g.b[g.i]) % n
	g.i++
	return c
}

// genTemplates builds a root template, root.yaml, and the nested templates
// it fans out to, from choices.
func genTemplates(choices []byte) []File {
	g := &gen{b: choices}
	var b strings.Builder
	b.WriteString("Transform: AWS::LanguageExtensions\n")
	fmt.Fprintf(&b, "Mappings:\n  M:\n    a:\n      b: %sx\n", strings.Repeat("x,", 1<<g.next(17)))
	fmt.Fprintf(&b, "Parameters:\n  P:\n    Type: CommaDelimitedList\n    Default: %sy\n", strings.Repeat("y,", 1<<g.next(15)))
	b.WriteString("Conditions:\n  C: !Equals [!Ref AWS::Region, eu-west-1]\n")
	n := 1 + g.next(40)
	b.WriteString("Outputs:\n")
	for i := range n {
		refs := func(k int) []string {
			var out []string
			for range k {
				if i == 0 {
					out = append(out, "xxxxxxxxxxxxxxxx")
					continue
				}
				out = append(out, fmt.Sprintf("!ImportValue E%d", g.next(i)))
			}
			return out
		}
		kind, k := g.next(10), 1+g.next(4)
		var v string
		switch kind {
		case 0:
			v = "!Join ['', [" + strings.Join(refs(k), ", ") + "]]"
		case 1:
			r := refs(2)
			v = "!Sub ['${A}-${B}', {A: " + r[0] + ", B: " + r[1] + "}]"
		case 2:
			v = "!Select [0, [" + strings.Join(refs(k), ", ") + "]]"
		case 3:
			v = "!Split [',', " + refs(1)[0] + "]"
		case 4:
			v = "!FindInMap [M, a, b]"
		case 5:
			v = "!Ref P"
		case 6:
			r := refs(2)
			v = "!ToJsonString {a: " + r[0] + ", b: [" + r[1] + "]}"
		case 7:
			v = "!Base64 " + refs(1)[0]
		case 8:
			v = "!Join [',', !Split [',', " + refs(1)[0] + "]]"
		case 9:
			r := refs(2)
			v = "!If [C, " + r[0] + ", " + r[1] + "]"
		}
		fmt.Fprintf(&b, "  O%d:\n    Value: %s\n    Export: {Name: E%d}\n", i, v, i)
	}
	b.WriteString("Resources:\n")
	for i := range 1 + g.next(30) {
		fmt.Fprintf(&b, "  Q%d:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: !ImportValue E%d\n", i, g.next(n))
	}
	fan, depth := g.next(8), g.next(5)
	files := []File{{Name: "root.yaml"}}
	if fan > 0 {
		b.WriteString("  Nested:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./n0.yaml\n")
		for level := 0; level <= depth; level++ {
			var nb strings.Builder
			nb.WriteString("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
			for s := 0; level < depth && s < fan; s++ {
				fmt.Fprintf(&nb, "  S%d:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./n%d.yaml\n", s, level+1)
			}
			files = append(files, File{Name: fmt.Sprintf("n%d.yaml", level), Src: []byte(nb.String())})
		}
	}
	files[0].Src = []byte(b.String())
	return files
}
