package taskdef

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/canpull/canpull/lint/input"
)

// A task definition JSON file that a GitHub Actions workflow deploys with
// aws-actions/amazon-ecs-render-task-definition is a template: the action
// writes the image it just built into the named container before the task
// definition is registered (GitHub's "Deploy to Amazon ECS" starter
// workflow, whose .aws/task-definition.json holds a placeholder such as
// "nginx:latest" or the repository without a tag). That container's image
// in the file is not what runs: it is unknown, and the rules that read
// images stay quiet about it.

// renderAction is the action that fills in an image.
const renderAction = "aws-actions/amazon-ecs-render-task-definition"

// Limits on what is read of a repository's workflows.
const (
	maxWorkflows    = 200
	maxWorkflowSize = 1 << 20
)

// filled is what the workflows of a repository fill in: for each task
// definition file (a clean path relative to the workspace root, or "*"
// when a step names its file in a way canpull cannot resolve), the
// containers whose image a step writes ("*" for a container it cannot
// name), each with the step that does it ("file:line").
type filled map[string]map[string]string

// fills returns the step that fills in the image of container name in the
// task definition file at rel, or "".
func (f filled) fills(rel, name string) string {
	for _, file := range []string{rel, "*"} {
		cs := f[file]
		if by := cs[name]; by != "" {
			return by
		}
		if by := cs["*"]; by != "" {
			return by
		}
	}
	return ""
}

func (f filled) add(file, container, by string) {
	if f[file] == nil {
		f[file] = map[string]string{}
	}
	if f[file][container] == "" {
		f[file][container] = by
	}
}

// workflowRoot is the nearest folder at or above dir, up to the
// repository that holds it, that has .github/workflows: where GitHub
// Actions checks the repository out, the folder the steps' paths are
// relative to. "" when there is none. Outside a git work tree (an
// exported archive, a copy without .git) the search goes up to scanRoot,
// the path argument the file was found under, rather than stopping at
// dir.
func workflowRoot(dir, scanRoot string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	top := input.Repository(dir)
	if scanRoot != "" {
		if r, err := filepath.Abs(scanRoot); err == nil && input.Within(r, top) {
			top = r
		}
	}
	for {
		if st, err := os.Stat(filepath.Join(dir, ".github", "workflows")); err == nil && st.IsDir() {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir || !input.Within(top, parent) {
			return ""
		}
		dir = parent
	}
}

// readWorkflows finds the render steps of the workflows under root.
// A workflow that cannot be read or parsed is left out: it is not
// canpull's input, only a hint about one.
func readWorkflows(root string) filled {
	out := filled{}
	dir := filepath.Join(root, ".github", "workflows")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return out
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || (!strings.HasSuffix(name, ".yml") && !strings.HasSuffix(name, ".yaml")) {
			continue
		}
		if n++; n > maxWorkflows {
			break
		}
		path := filepath.Join(dir, name)
		if !input.Inside(root, path) {
			continue
		}
		src, err := input.ReadFile(path, maxWorkflowSize)
		if err != nil {
			continue
		}
		rel := filepath.ToSlash(filepath.Join(".github", "workflows", name))
		renderSteps(src, rel, out)
	}
	return out
}

// renderSteps adds the render steps of one workflow to out.
func renderSteps(src []byte, name string, out filled) {
	var doc yaml.Node
	if err := safeUnmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		return
	}
	wf := doc.Content[0]
	wfEnv := envOf(get(wf, "env"))
	jobs := get(wf, "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(jobs.Content); i += 2 {
		job := jobs.Content[i]
		jobEnv := envOf(get(job, "env"))
		steps := get(job, "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		rendered := map[string]string{} // step id → the task definition file it rendered
		for _, step := range steps.Content {
			uses := scalar(get(step, "uses"))
			if !strings.HasPrefix(strings.ToLower(uses), renderAction+"@") {
				continue
			}
			with := get(step, "with")
			env := merged(wfEnv, jobEnv, envOf(get(step, "env")))
			file, fileOK := resolve(scalar(get(with, "task-definition")), env, rendered)
			container, containerOK := resolve(scalar(get(with, "container-name")), env, nil)
			if scalar(get(with, "task-definition")) == "" {
				continue // task-definition-family: the action reads ECS, not a file
			}
			if !fileOK {
				file = "*"
			} else {
				file = filepath.ToSlash(filepath.Clean(file))
			}
			if !containerOK || container == "" {
				container = "*"
			}
			out.add(file, container, fmt.Sprintf("%s:%d", name, step.Line))
			if id := scalar(get(step, "id")); id != "" {
				rendered[id] = file
			}
		}
	}
}

// expression is one ${{ … }} of a workflow.
var expression = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// resolve evaluates the expressions of a step's input that canpull can:
// env.NAME, and steps.ID.outputs.task-definition of an earlier render
// step (the file it rendered). ok is false when any other is left.
func resolve(s string, env map[string]string, rendered map[string]string) (string, bool) {
	ok := true
	out := expression.ReplaceAllStringFunc(s, func(m string) string {
		expr := expression.FindStringSubmatch(m)[1]
		if name, found := strings.CutPrefix(expr, "env."); found {
			if v, known := env[name]; known && !strings.Contains(v, "${{") {
				return v
			}
		}
		if rest, found := strings.CutPrefix(expr, "steps."); found {
			if id, found := strings.CutSuffix(rest, ".outputs.task-definition"); found && rendered != nil {
				if f, known := rendered[id]; known && f != "*" {
					return f
				}
			}
		}
		ok = false
		return m
	})
	return out, ok
}

// get returns the value of key in a mapping node, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// scalar is a scalar node's text, or "".
func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// envOf reads an env mapping of scalars.
func envOf(n *yaml.Node) map[string]string {
	out := map[string]string{}
	if n == nil || n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := n.Content[i+1]; v.Kind == yaml.ScalarNode {
			out[n.Content[i].Value] = v.Value
		}
	}
	return out
}

// merged is the env a step sees: the workflow's, the job's, the step's,
// the later winning.
func merged(envs ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, e := range envs {
		for k, v := range e {
			out[k] = v
		}
	}
	return out
}

// safeUnmarshal parses YAML into a node tree; yaml.v3 has panicked on
// malformed input.
func safeUnmarshal(src []byte, n *yaml.Node) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("yaml: %v", p)
		}
	}()
	return yaml.Unmarshal(src, n)
}

// filledIn finds, for each task definition document among docs, the
// step of a workflow of its repository that fills in the image of a
// container: by file name, a function of the container's name that
// returns the step ("file:line") or "".
func filledIn(docs []File) map[string]func(container string) string {
	out := map[string]func(string) string{}
	roots := map[string]filled{}
	for _, doc := range docs {
		root := workflowRoot(filepath.Dir(doc.Name), doc.Root)
		if root == "" {
			continue
		}
		f, ok := roots[root]
		if !ok {
			f = readWorkflows(root)
			roots[root] = f
		}
		if len(f) == 0 {
			continue
		}
		abs, err := filepath.Abs(doc.Name)
		if err != nil {
			continue
		}
		rel, err := filepath.Rel(root, abs)
		if err != nil {
			continue
		}
		rel = filepath.ToSlash(rel)
		out[doc.Name] = func(container string) string { return f.fills(rel, container) }
	}
	return out
}
