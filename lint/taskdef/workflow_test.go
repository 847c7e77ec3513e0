package taskdef

import (
	"reflect"
	"testing"
)

// The render steps of a workflow, with what canpull resolves of their
// inputs: env at every level, an earlier render step's output, and a
// wildcard for what it cannot resolve (a matrix, another step's output).
func TestRenderSteps(t *testing.T) {
	src := `
env:
  TD: .aws/task-definition.json
jobs:
  deploy:
    env:
      APP: web
    steps:
      - uses: actions/checkout@v4
      - id: first
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: ${{ env.TD }}
          container-name: ${{ env.APP }}
          image: x
      - id: second
        uses: aws-actions/amazon-ecs-render-task-definition@v1
        env:
          SIDE: log-router
        with:
          task-definition: ${{ steps.first.outputs.task-definition }}
          container-name: ${{ env.SIDE }}
          image: y
      - uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: ./ecs/./worker.json
          container-name: ${{ matrix.container }}
          image: z
  other:
    strategy:
      matrix:
        td: [a.json, b.json]
    steps:
      - uses: AWS-Actions/Amazon-ECS-Render-Task-Definition@v1.1.0
        with:
          task-definition: ${{ matrix.td }}
          container-name: app
          image: z
      - uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition-family: web
          container-name: app
          image: z
`
	got := filled{}
	renderSteps([]byte(src), "deploy.yml", got)
	want := filled{
		".aws/task-definition.json": {"web": "deploy.yml:10", "log-router": "deploy.yml:16"},
		"ecs/worker.json":           {"*": "deploy.yml:24"},
		"*":                         {"app": "deploy.yml:34"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	for _, tc := range []struct{ file, container, by string }{
		{".aws/task-definition.json", "web", "deploy.yml:10"},
		{".aws/task-definition.json", "proxy", ""},
		{"ecs/worker.json", "anything", "deploy.yml:24"},
		{"other.json", "app", "deploy.yml:34"},
		{"other.json", "web", ""},
	} {
		if by := got.fills(tc.file, tc.container); by != tc.by {
			t.Errorf("fills(%q, %q) = %q, want %q", tc.file, tc.container, by, tc.by)
		}
	}
	for _, bad := range []string{"jobs: [", "{{{", "jobs:\n  a:\n    steps: *x\n", "- 1\n- 2\n"} {
		out := filled{}
		renderSteps([]byte(bad), "bad.yml", out)
		if len(out) != 0 {
			t.Errorf("%q: %v", bad, out)
		}
	}
}
