package taskdef

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/canpull/canpull/lint/input"
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

// Outside a git work tree (a repository exported without .git), the
// workflows at the root of the folder given are still found for a task
// definition below it: its placeholder image is not what runs.
func TestWorkflowsFoundOutsideGit(t *testing.T) {
	root := t.TempDir()
	if input.Repository(root) != root {
		t.Skip("the temporary folder is inside a git work tree")
	}
	write := func(rel, text string) string {
		path := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write(".github/workflows/deploy.yml", `
jobs:
  deploy:
    steps:
      - uses: aws-actions/amazon-ecs-render-task-definition@v1
        with:
          task-definition: .aws/task-definition.json
          container-name: web
          image: x
`)
	td := write(".aws/task-definition.json", `{"family": "web", "containerDefinitions": [{"name": "web", "image": "web"}]}`)
	for _, scanRoot := range []string{root, ""} {
		got := NewInput().Load(context.Background(), []input.File{{Path: td, Root: scanRoot}}, input.Env{})
		if len(got.Configs) != 1 || len(got.Configs[0].TaskDefinitions) != 1 {
			t.Fatalf("root %q: configs %+v, diags %v", scanRoot, got.Configs, got.Diags)
		}
		img := got.Configs[0].TaskDefinitions[0].Containers[0].Image
		// Without the root, nothing above the file's own folder is read.
		if want := scanRoot == ""; img.Known != want {
			t.Errorf("root %q: image known = %v, want %v", scanRoot, img.Known, want)
		}
	}
}
