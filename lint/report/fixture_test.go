package report

import (
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/driver"
)

// testBase is the folder that tests pretend to run in.
const testBase = "/work/proj"

func TestMain(m *testing.M) {
	getwd = func() (string, error) { return testBase, nil }
	os.Exit(m.Run())
}

const mainTF = `resource "aws_ecs_service" "web" {
  name = "web"
  network_configuration {
    subnets          = [aws_subnet.private.id]
    assign_public_ip = false
  }
}

resource "aws_ecs_task_definition" "web" {
  family = "wéb-日本"
  container_definitions = jsonencode([{
    name  = "app"
    image = "ghcr.io/e` + "\u0301" + `x/日本:latest"
    repositoryCredential = {
      credentialsParameter = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:x"
    }
  }])
}
`

const vpcTF = `resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_subnet" "private" {
  vpc_id = aws_vpc.main.id
}
`

const taskdefJSON = "{\n\t\"family\": \"api\",\n\t\"taskExecutionRoleArn\": \"arn:aws:iam::111122223333:role/exec\",\n\t\"containerDefinitions\": []\n}\n"

const brokenTF = "resource \"aws_ecs_service\" \"x\" {\n  name = \n}\n"

// rangeOf finds the n-th (from 1) occurrence of needle in src and gives its
// range as HCL would: columns count characters, not combining marks.
func rangeOf(t testing.TB, file, src, needle string, n int) hcl.Range {
	t.Helper()
	off := -1
	for i := 0; i < n; i++ {
		j := strings.Index(src[off+1:], needle)
		if j < 0 {
			t.Fatalf("%q: occurrence %d of %q not found", file, n, needle)
		}
		off += 1 + j
	}
	return hcl.Range{Filename: file, Start: posAt(src, off), End: posAt(src, off+len(needle))}
}

// pointAt is the empty range at the start of the n-th occurrence of needle.
func pointAt(t testing.TB, file, src, needle string, n int) hcl.Range {
	r := rangeOf(t, file, src, needle, n)
	r.End = r.Start
	return r
}

func suppressed(f lint.Finding, kind, reason string, where hcl.Range) lint.Finding {
	f.Suppression = &lint.Suppression{Kind: kind, Justification: reason, Range: where}
	return f
}

func posAt(src string, off int) hcl.Pos {
	p := hcl.Pos{Line: 1, Column: 1, Byte: off}
	for _, r := range src[:off] {
		switch {
		case r == '\n':
			p.Line++
			p.Column = 1
		case unicode.Is(unicode.Mn, r):
		default:
			p.Column++
		}
	}
	return p
}

// testRules is a small registry, in ID order, with one rule that nothing
// reports (CP105).
func testRules() []*lint.Rule {
	mk := func(id, name string, sev lint.Severity, summary string) *lint.Rule {
		return &lint.Rule{ID: id, Name: name, Severity: sev, Summary: summary, Precision: "very-high", Tags: []string{"test"},
			Doc: "# " + id + " " + name + "\n\n" + summary + "\n"}
	}
	cp203 := mk("CP203", "public-ip-disabled", lint.Error, "A Fargate service in a public subnet has no public IP.")
	cp203.Doc = "# CP203 public-ip-disabled\n\n" +
		"A **Fargate** task in a subnet whose default route goes to an *internet gateway*\n" +
		"needs a public IP to reach ECR. See [the AWS guide](https://docs.aws.amazon.com/ecs/) and <https://github.com/canpull/canpull>.\n\n" +
		"## Error\n\n```\nCannotPullContainerError: ... i/o timeout\n```\n\n" +
		"| setting | default |\n|---|---|\n| `assign_public_ip` | `false` |\n\n" +
		"## Fix\n\n- set `assign_public_ip = true`, or\n- use a subnet with a NAT gateway (see `aws_nat_gateway`).\n\n" +
		"Some scanners flag `assign_public_ip = true`; the \\*trade\\* is explained below.\n"
	cp203.Tags = []string{"fargate", "public-ip"}
	return []*lint.Rule{
		mk("CP001", "unverified-input", lint.Note, "A fact that the checks need could not be read from the input."),
		mk("CP101", "execution-role-missing", lint.Error, "The task definition has no execution role."),
		mk("CP105", "awslogs-access", lint.Error, "The execution role may not write the task's logs."),
		mk("CP201", "no-egress-path", lint.Error, "A Fargate service's subnet has no way out to ECR."),
		cp203,
		mk("CP301", "dockerhub-anonymous", lint.Warning, "The image comes from Docker Hub without credentials."),
		mk("CP302", "cross-account-ecr-policy", lint.Error, "No policy lets the account pull from another account's ECR."),
		mk("CP304", "image-tag-mutable", lint.Warning, "The image has no tag or the tag latest, and no digest."),
		mk("CP401", "unknown-field", lint.Error, "A document has a key that ECS does not know."),
	}
}

func testOptions(format string) Options {
	return Options{
		Format:  format,
		BaseDir: testBase,
		Version: "1.2.3",
		Rules:   testRules(),
		HelpURI: func(r *lint.Rule) string {
			return "https://github.com/canpull/canpull/blob/main/docs/rules/" + r.ID + ".md"
		},
	}
}

// testResult is a hand-built result with every kind of finding the
// formats must handle: related ranges, a zero-width range, multi-line
// ranges, Unicode before a range, tabs, a file absent from Sources, a file
// given by an absolute path inside and one outside the base folder, and
// input errors with and without a place.
func testResult(t testing.TB) *driver.Result {
	t.Helper()
	const absJSON = testBase + "/taskdef.json"
	const outside = "/elsewhere/shared.tf"
	f := func(id, name string, sev lint.Severity, r hcl.Range, key, msg, fix string, rel ...lint.Related) lint.Finding {
		return lint.Finding{RuleID: id, RuleName: name, Severity: sev, Range: r, Key: key, Message: msg, Fix: fix, Related: rel}
	}
	unverified := f("CP001", "unverified-input", lint.Note,
		hcl.Range{Filename: outside, Start: hcl.Pos{Line: 7, Column: 13, Byte: 140}, End: hcl.Pos{Line: 7, Column: 70, Byte: 197}},
		"", "CP302 could not verify: repository app of account 444455556666 is not in the scanned files",
		"Scan the folder that defines the repository too.")
	unverified.Unverified, unverified.StoppedRule = true, "CP302"
	unverified.Detail = "CP302 cross-account-ecr-policy stopped here: what it needs to know is unknown, so it reports nothing (unknown is not wrong).\n" +
		"Whether account 111122223333 may pull 444455556666.dkr.ecr.eu-west-1.amazonaws.com/app cannot be checked."
	cp203 := f("CP203", "public-ip-disabled", lint.Error,
		rangeOf(t, "main.tf", mainTF, "assign_public_ip = false", 1), "aws_ecs_service.web",
		"service aws_ecs_service.web gets no public IP, and subnet aws_subnet.private reaches the registry only through an internet gateway",
		"set `assign_public_ip = true`, or use subnets with a NAT gateway",
		lint.Related{Range: rangeOf(t, "network/vpc.tf", vpcTF, `gateway_id = aws_internet_gateway.main.id`, 1), Message: "the default route goes to internet gateway aws_internet_gateway.main"},
		lint.Related{Range: rangeOf(t, "network/vpc.tf", vpcTF, `resource "aws_subnet" "private"`, 1)})
	cp203.Detail = "The service runs on Fargate in subnet aws_subnet.private, whose only way out is internet gateway aws_internet_gateway.main, and assign_public_ip is false: " +
		"without a public IP, 100% of tasks fail to pull.\nThey stop with `CannotPullContainerError: ... dial tcp ...:443: i/o timeout`."
	return &driver.Result{
		Findings: []lint.Finding{
			unverified,
			f("CP401", "unknown-field", lint.Error,
				rangeOf(t, absJSON, taskdefJSON, `"taskExecutionRoleArn"`, 1), "taskdef.json#/taskExecutionRoleArn",
				`Unknown key "taskExecutionRoleArn": ECS ignores it, so the task has no execution role.`,
				`Rename it to "executionRoleArn".`),
			f("CP201", "no-egress-path", lint.Error,
				pointAt(t, "main.tf", mainTF, "subnets", 1), "aws_ecs_service.web",
				"Subnet aws_subnet.private has no default route and no ECR endpoints: tasks fail with \"CannotPullContainerError: ... i/o timeout\".",
				"Add a NAT gateway route, or the ECR VPC endpoints.",
				lint.Related{Range: rangeOf(t, "network/vpc.tf", vpcTF, `resource "aws_subnet" "private"`, 1), Message: "the subnet"}),
			cp203,
			f("CP101", "execution-role-missing", lint.Error,
				rangeOf(t, "main.tf", mainTF, mainTF[strings.Index(mainTF, `resource "aws_ecs_task_definition"`):len(mainTF)-1], 1), "aws_ecs_task_definition.web",
				"Task definition aws_ecs_task_definition.web has no execution role and pulls with repositoryCredentials.",
				"Set execution_role_arn to a role with AmazonECSTaskExecutionRolePolicy."),
			f("CP304", "image-tag-mutable", lint.Warning,
				rangeOf(t, "main.tf", mainTF, `"ghcr.io/e`+"\u0301"+`x/日本:latest"`, 1), "aws_ecs_task_definition.web/app",
				"Image ghcr.io/e\u0301x/日本:latest has the tag latest.", "Pin a version tag or a digest."),
			f("CP401", "unknown-field", lint.Warning,
				rangeOf(t, "main.tf", mainTF, "repositoryCredential = {\n      credentialsParameter = \"arn:aws:secretsmanager:eu-west-1:111122223333:secret:x\"\n    }", 1),
				"aws_ecs_task_definition.web/app/repositoryCredential",
				`Unknown key "repositoryCredential" (did you mean "repositoryCredentials"?).`, `Rename it to "repositoryCredentials".`),
			f("CP301", "dockerhub-anonymous", lint.Warning,
				hcl.Range{Filename: "missing.tf", Start: hcl.Pos{Line: 3, Column: 11, Byte: 40}, End: hcl.Pos{Line: 3, Column: 25, Byte: 54}},
				"aws_ecs_task_definition.worker/app", "Image nginx:1.27 comes from Docker Hub without credentials: pulls may hit \"toomanyrequests\".",
				"Store Docker Hub credentials in Secrets Manager, or use an ECR pull-through cache."),
		},
		Errors: hcl.Diagnostics{
			{
				Severity: hcl.DiagError,
				Summary:  "Invalid expression",
				Detail:   "Expected the start of an expression, but found an invalid expression token.",
				Subject: &hcl.Range{Filename: "broken.tf",
					Start: posAt(brokenTF, strings.Index(brokenTF, "= \n")+2),
					End:   posAt(brokenTF, strings.Index(brokenTF, "= \n")+3)},
			},
			{
				Severity: hcl.DiagWarning,
				Summary:  "Module not installed",
				Detail:   "Module \"net\" is not in .terraform/modules.\nRun terraform init, then canpull again.",
			},
		},
		Suppressed: []lint.Finding{
			suppressed(f("CP301", "dockerhub-anonymous", lint.Warning,
				rangeOf(t, "main.tf", mainTF, `"ghcr.io/e`+"\u0301"+`x/日本:latest"`, 1), "aws_ecs_task_definition.web/app",
				"Image ghcr.io/e\u0301x/日本:latest comes from Docker Hub.", "Use ECR."),
				lint.SuppressedInSource, "mirrored | <b>internally</b>", rangeOf(t, "main.tf", mainTF, `image = "ghcr.io`, 1)),
			suppressed(f("CP101", "execution-role-missing", lint.Error,
				hcl.Range{Filename: absJSON, Start: hcl.Pos{Line: 1, Column: 1, Byte: 0}, End: hcl.Pos{Line: 1, Column: 2, Byte: 1}}, "taskdef.json",
				"Task definition api has no execution role.", ""),
				lint.SuppressedExternal, "", hcl.Range{Filename: testBase + "/.canpull.hcl", Start: hcl.Pos{Line: 4, Column: 1, Byte: 30}, End: hcl.Pos{Line: 4, Column: 7, Byte: 36}}),
		},
		Sources: map[string][]byte{
			"main.tf":        []byte(mainTF),
			"network/vpc.tf": []byte(vpcTF),
			absJSON:          []byte(taskdefJSON),
			"broken.tf":      []byte(brokenTF),
		},
		Stats: driver.Stats{Files: 5, Modules: 1, TaskDefinitions: 2, Services: 1, Unverified: 1, UnverifiedServices: 1, UnknownFacts: 1, Suppressed: 2},
	}
}
