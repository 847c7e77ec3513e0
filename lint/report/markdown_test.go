package report

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

func markdownOut(t *testing.T, res *driver.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, res, testOptions("markdown")); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// testPath reads a path line the way the network rules write it
// ("service S → subnet A → route table T: 0.0.0.0/0 → G, problem") into the
// structure they attach to it.
func testPath(msg string) *lint.PullPath {
	head, end, ok := strings.Cut(msg, ": ")
	if !ok {
		return nil
	}
	p := &lint.PullPath{Problem: end}
	for _, hop := range strings.Split(head, " → ") {
		switch {
		case strings.HasPrefix(hop, "service "):
			p.Service = strings.TrimPrefix(hop, "service ")
		case strings.HasPrefix(hop, "subnet "):
			p.Subnet = strings.TrimPrefix(hop, "subnet ")
		case strings.HasPrefix(hop, "route table "):
			p.RouteTable = strings.TrimPrefix(hop, "route table ")
		}
	}
	if r := regexp.MustCompile(`^(\S+) → ([^,]+?)(?:, (.+))?$`).FindStringSubmatch(end); r != nil {
		p.Destination, p.Target, p.Problem = r[1], strings.TrimSpace(r[2]), r[3]
	}
	return p
}

// pathFinding is a network finding as the rules write it, with one related
// location per hop.
func pathFinding(rule, name, key string, paths ...string) lint.Finding {
	f := lint.Finding{RuleID: rule, RuleName: name, Severity: lint.Error, Key: key, Message: "m",
		Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 3, Column: 1}, End: hcl.Pos{Line: 3, Column: 5}}}
	for i, p := range paths {
		f.Related = append(f.Related,
			lint.Related{Range: hcl.Range{Filename: "net.tf", Start: hcl.Pos{Line: 10 * (i + 1), Column: 1}}, Message: p, Path: testPath(p)},
			lint.Related{Range: hcl.Range{Filename: "net.tf", Start: hcl.Pos{Line: 10*(i+1) + 5, Column: 1}}, Message: "the default route"})
	}
	return f
}

func TestMarkdownPullPaths(t *testing.T) {
	res := &driver.Result{Findings: []lint.Finding{
		pathFinding("CP203", "public-ip-disabled", "aws_ecs_service.web",
			"subnet aws_subnet.public[0] → route table aws_route_table.public: 0.0.0.0/0 → aws_internet_gateway.main, no public IP",
			"subnet aws_subnet.public[1] → route table aws_route_table.public: 0.0.0.0/0 → aws_internet_gateway.main, no public IP"),
		pathFinding("CP201", "no-egress-path", "aws_ecs_service.web",
			"subnet aws_subnet.private → route table aws_route_table.private: no 0.0.0.0/0 route, no ECR endpoint"),
		// No path in its related locations: in the table, not in a diagram.
		{RuleID: "CP101", RuleName: "execution-role-missing", Severity: lint.Error, Key: "aws_ecs_task_definition.web", Message: "no role",
			Range: hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 9, Column: 1}}},
	}}
	out := markdownOut(t, res)
	for _, want := range []string{
		"### Pull paths",
		"**`aws_ecs_service.web`**: [CP203](https://github.com/canpull/canpull/blob/main/docs/rules/CP203.md) `public-ip-disabled`, [CP201]",
		"```mermaid\nflowchart LR\n",
		`  n0(["tasks of aws_ecs_service.web"])`,
		`  n1[("image registry")]`,
		`  n2["subnet aws_subnet.public[0]"]`,
		`  n3["route table aws_route_table.public"]`,
		"  n0 --> n2\n  n2 --> n3\n",
		`  n4{{"aws_internet_gateway.main"}}`,
		`  n3 -- "0.0.0.0/0" --> n4`,
		`  n4 -. "✗ no public IP" .-> n1`,
		`  n7 -. "✗ no 0.0.0.0/0 route, no ECR endpoint" .-> n1`,
		"  linkStyle 3 stroke:#cf222e",
		"  linkStyle 8 stroke:#cf222e",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
	// Shared hops are drawn once: one gateway node, one broken link to it.
	if n := strings.Count(out, `{{"aws_internet_gateway.main"}}`); n != 1 {
		t.Errorf("the gateway is drawn %d times", n)
	}
	if n := strings.Count(out, `-. "✗ no public IP" .->`); n != 1 {
		t.Errorf("the broken link is drawn %d times", n)
	}
	if n := strings.Count(out, "```mermaid"); n != 1 {
		t.Errorf("%d diagrams for one service", n)
	}
	if strings.Contains(out, "aws_ecs_task_definition.web`**") {
		t.Error("a finding without a path got a diagram")
	}
	// Each linkStyle names a broken link: count the links before it.
	_, diagram, _ := strings.Cut(out, "flowchart LR")
	diagram, _, _ = strings.Cut(diagram, "```")
	links := 0
	for _, l := range strings.Split(diagram, "\n") {
		switch {
		case strings.Contains(l, "-->") || strings.Contains(l, ".->"):
			if strings.Contains(l, ".->") && !strings.Contains(diagram, fmt.Sprintf("linkStyle %d ", links)) {
				t.Errorf("broken link %d (%s) is not styled", links, strings.TrimSpace(l))
			}
			links++
		}
	}
}

// What comes from the input cannot inject Markdown, HTML or Mermaid.
func TestMarkdownEscapes(t *testing.T) {
	evil := `x"] --> y[<img src=x onerror=alert(1)>](http://evil) | @team`
	res := &driver.Result{Findings: []lint.Finding{
		pathFinding("CP203", "public-ip-disabled", `aws_ecs_service.web["`+evil+`"]`,
			"subnet aws_subnet.a → route table aws_route_table.public: 0.0.0.0/0 → aws_internet_gateway.main, "+evil),
	}}
	res.Findings[0].Message = "service " + evil + " fails with `CannotPullContainerError: a|b <c>`"
	out := markdownOut(t, res)
	// Outside code spans and diagrams, nothing is live.
	i, j := strings.Index(out, "```mermaid"), strings.LastIndex(out, "```")
	prose := codeSpan.ReplaceAllString(out[:i]+out[j+3:], "")
	for _, bad := range []string{"<img", "@team"} {
		if strings.Contains(prose, bad) {
			t.Errorf("the summary contains %q unescaped:\n%s", bad, out)
		}
	}
	if strings.Contains(strings.ReplaceAll(prose, `\]`, ""), "](http://evil)") {
		t.Errorf("the summary contains a link:\n%s", out)
	}
	// In the diagram, each label is one quoted string.
	for _, l := range strings.Split(out[i:j], "\n")[2:] {
		if n := strings.Count(l, `"`); n != 0 && n != 2 {
			t.Errorf("diagram line with %d quotes: %s", strings.Count(l, `"`), l)
		}
	}
	// Code spans stay code, with | escaped for the table.
	if !strings.Contains(out, "`CannotPullContainerError: a\\|b <c>`") {
		t.Errorf("code span mangled:\n%s", out)
	}
	// Every table row has its four cells.
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| 🔴") {
			cells := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|")
			if cells != 5 {
				t.Errorf("row with %d separators: %s", cells, l)
			}
		}
	}
}

var codeSpan = regexp.MustCompile("`[^`]*`")

// Long reports are cut, and say so.
func TestMarkdownLimits(t *testing.T) {
	res := &driver.Result{}
	for i := range maxTableRows + 5 {
		res.Findings = append(res.Findings, pathFinding("CP201", "no-egress-path", fmt.Sprintf("aws_ecs_service.s%d", i),
			"subnet aws_subnet.a → route table aws_route_table.p: no 0.0.0.0/0 route, no ECR endpoint"))
	}
	out := markdownOut(t, res)
	if !strings.Contains(out, "…and 5 more: see the annotations or the SARIF report.") {
		t.Error("the table is not cut")
	}
	if n := strings.Count(out, "```mermaid"); n != maxDiagrams {
		t.Errorf("%d diagrams, want %d", n, maxDiagrams)
	}
	if !strings.Contains(out, fmt.Sprintf("…and %d more: see the findings above.", len(res.Findings)-maxDiagrams)) {
		t.Error("the diagrams are not cut")
	}
	if !strings.HasPrefix(out, fmt.Sprintf("<!-- canpull findings=%d errors=%d warnings=0 notes=0 suppressed=0 input-errors=0 -->\n", len(res.Findings), len(res.Findings))) {
		first, _, _ := strings.Cut(out, "\n")
		t.Errorf("header line: %q", first)
	}
}

func TestMarkdownVerdict(t *testing.T) {
	for _, tt := range []struct {
		e, w, n, ie, iw int
		want            string
	}{
		{0, 0, 0, 0, 0, "✅ canpull: no problems"},
		{0, 0, 2, 0, 0, "✅ canpull: no problems (2 notes)"},
		{0, 1, 0, 0, 0, "⚠️ canpull: 1 warning"},
		{1, 1, 0, 0, 0, "❌ canpull: 1 error, 1 warning"},
		{0, 0, 0, 1, 0, "❌ canpull: 1 input error"},
		{0, 0, 0, 0, 1, "⚠️ canpull: 1 input warning"},
	} {
		if got := markdownVerdict(tt.e, tt.w, tt.n, tt.ie, tt.iw); got != tt.want {
			t.Errorf("markdownVerdict%v = %q, want %q", []int{tt.e, tt.w, tt.n, tt.ie, tt.iw}, got, tt.want)
		}
	}
}
