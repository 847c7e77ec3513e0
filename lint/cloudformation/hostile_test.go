package cloudformation

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/canpull/canpull/internal/heapwatch"
)

// hostileTemplates are templates of at most a few MB (CloudFormation takes
// 1 MB) whose evaluation, unbounded, would build gigabytes or run for
// hours: each ends in an error at the expression or resource that went
// over a limit (want is its summary, line text on the line it points at),
// or, where a limit is not needed (outputs are evaluated once), in no
// error at all.
func hostileTemplates() []struct {
	name       string
	files      []File
	want, line string
} {
	commas := strings.Repeat("x,", 500<<10) + "x"
	cases := []struct {
		name       string
		files      []File
		want, line string
	}{}
	add := func(name, want, line string, files ...File) {
		cases = append(cases, struct {
			name       string
			files      []File
			want, line string
		}{name, files, want, line})
	}

	// Fn::Split of a 1 MB mapping value, in 50 resources: 25 million list
	// items.
	var b strings.Builder
	b.WriteString("Mappings:\n  M:\n    a:\n      b: " + commas + "\nResources:\n")
	for i := range 50 {
		fmt.Fprintf(&b, "  Q%d:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: !Split [',', !FindInMap [M, a, b]]\n", i)
	}
	add("a long Fn::Split in many resources", "Template evaluation uses too much memory", "!Split", File{"split.yaml", []byte(b.String())})

	// A list parameter of 50,000 items, used by 200 resources.
	b.Reset()
	b.WriteString("Parameters:\n  P:\n    Type: CommaDelimitedList\n    Default: " + strings.Repeat("x,", 50_000) + "x\nResources:\n")
	for i := range 200 {
		fmt.Fprintf(&b, "  Q%d:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: !Ref P\n", i)
	}
	add("a long list parameter used many times", "Template evaluation uses too much memory", "!Ref P", File{"list.yaml", []byte(b.String())})

	// A mapping list of 50,000 items, used by 500 resources.
	b.Reset()
	b.WriteString("Mappings:\n  M:\n    a:\n      b: [" + strings.Repeat("a,", 50_000) + "a]\nResources:\n")
	for i := range 500 {
		fmt.Fprintf(&b, "  Q%d:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: !FindInMap [M, a, b]\n", i)
	}
	add("a large mapping value used many times", "Template evaluation uses too much memory", "!FindInMap", File{"mapping.yaml", []byte(b.String())})

	// Outputs that read the one before four times, through
	// Fn::ImportValue: 4^12 reads of a 1 MiB string, unless each output is
	// evaluated once.
	b.Reset()
	b.WriteString("Mappings:\n  M:\n    a:\n      b: " + strings.Repeat("x", 512<<10) + "\n")
	b.WriteString("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !ImportValue E12\n")
	b.WriteString("Outputs:\n  O0:\n    Value: !Join ['', [!FindInMap [M, a, b], !FindInMap [M, a, b]]]\n    Export: {Name: E0}\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "  O%d:\n    Value: !Select [0, [!ImportValue E%[2]d, !ImportValue E%[2]d, !ImportValue E%[2]d, !ImportValue E%[2]d]]\n    Export: {Name: E%[1]d}\n", i, i-1)
	}
	add("outputs that read the one before many times", "", "", File{"outputs.yaml", []byte(b.String())})

	// Outputs that double a string through Fn::Join: past 1 MiB, longer
	// than any value CloudFormation takes.
	b.Reset()
	b.WriteString("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !ImportValue E8\n")
	b.WriteString("Outputs:\n  O0:\n    Value: " + strings.Repeat("x", 16<<10) + "\n    Export: {Name: E0}\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "  O%d:\n    Value: !Join ['', [!ImportValue E%[2]d, !ImportValue E%[2]d]]\n    Export: {Name: E%[1]d}\n", i, i-1)
	}
	add("outputs that double a string", "Value too large", "!Join", File{"double.yaml", []byte(b.String())})

	// Subnets whose VpcId joins the one before twice: Fn::GetAtt reads the
	// property each time, 2^40 times.
	b.Reset()
	b.WriteString("Resources:\n  S0:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: vpc-0123456789abcdef0\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  S%d:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Join ['', [!GetAtt S%[2]d.VpcId, !GetAtt S%[2]d.VpcId]]\n", i, i-1)
	}
	add("properties read through Fn::GetAtt that double", "Value too large", "!Join", File{"getatt.yaml", []byte(b.String())})

	// Nested stacks, 30 of each template in the one above, 5 levels: 24
	// million stacks.
	fan := func(child string) string {
		var b strings.Builder
		b.WriteString("Resources:\n")
		for i := range 30 {
			fmt.Fprintf(&b, "  S%d:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./%s\n", i, child)
		}
		return b.String()
	}
	add("nested stacks fanned out", "Too many nested stacks", "  S",
		File{"a.yaml", []byte(fan("b.yaml"))}, File{"b.yaml", []byte(fan("c.yaml"))}, File{"c.yaml", []byte(fan("d.yaml"))},
		File{"d.yaml", []byte(fan("e.yaml"))}, File{"e.yaml", []byte(fan("f.yaml"))}, File{"f.yaml", []byte("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")})
	return cases
}

// TestHostileTemplates evaluates each hostile template beside a plain one:
// the hostile one ends in its error with the heap far below what it would
// build, and the plain one is still read in full.
func TestHostileTemplates(t *testing.T) {
	plain := File{"plain/app.yaml", []byte("Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: !Join ['-', [app, !Select [1, !Split [',', 'a,b,c']]]]\n")}
	for _, c := range hostileTemplates() {
		t.Run(c.name, func(t *testing.T) {
			runtime.GC()
			stop := heapwatch.Watch(2 << 30)
			start := time.Now()
			res, diags := Load(append(c.files, plain), Options{})
			took := time.Since(start)
			peak := stop()
			t.Logf("after %v, heap peak %d MiB: %v", took.Round(time.Millisecond), peak>>20, diags)
			if peak > 512<<20 {
				t.Errorf("the heap reached %d MiB", peak>>20)
			}
			var found bool
			for _, d := range diags {
				if c.want == "" || d.Summary != c.want {
					t.Errorf("unexpected %s: %s", d.Summary, d.Detail)
					continue
				}
				found = true
				if d.Subject == nil {
					t.Fatalf("%s has no place", d.Summary)
				}
				var src []byte
				for _, f := range c.files {
					if f.Name == d.Subject.Filename {
						src = f.Src
					}
				}
				lines := strings.Split(string(src), "\n")
				if n := d.Subject.Start.Line; n < 1 || n > len(lines) || !strings.Contains(lines[n-1], c.line) {
					t.Errorf("the error points at %s; want a line with %q", d.Subject, c.line)
				}
			}
			if c.want != "" && !found {
				t.Errorf("want an error %q, got %v", c.want, diags)
			}
			// The plain template beside it is evaluated in full.
			var name string
			for _, cfg := range res.Configs {
				for _, r := range cfg.Repositories {
					if r.Name.Known {
						name = r.Name.V
					}
				}
			}
			if name != "app-b" {
				t.Errorf("the plain template's repository is named %q, want app-b", name)
			}
		})
	}
}

// TestEvaluationStops: a template that would take minutes within budgets
// that never run out stops when the run's time is up, with an error that
// says so, and its values left unknown.
func TestEvaluationStops(t *testing.T) {
	var b strings.Builder
	b.WriteString("Mappings:\n  M:\n    a:\n      b: [" + strings.Repeat("a,", 20_000) + "a]\nResources:\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "  Q%d:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Select [0, !FindInMap [M, a, b]]\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, diags := LoadContext(ctx, []File{{"slow.yaml", []byte(b.String())}}, Options{Limits: Limits{Memory: 1 << 50, Work: 1 << 50}})
	if len(diags) != 1 || diags[0].Summary != "Not finished" || diags[0].Subject.Filename != "slow.yaml" {
		t.Fatalf("got %v, want the run's deadline", diags)
	}
	t.Logf("stopped after %v", time.Since(start).Round(time.Millisecond))
}
