package terraform

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTemplateFile renders data "template_file" as the hashicorp/template
// provider does, and leaves rendered unknown wherever the provider would
// fail or canpull cannot tell.
func TestTemplateFile(t *testing.T) {
	cases := []struct {
		name, data, ref string
		files           map[string]string
		want            string // "" for unknown
	}{
		{name: "vars become strings",
			data: `template = "$${s}-$${n}-$${b}"
  vars = { s = "a", n = 8080, b = true }`, want: "a-8080-true"},
		{name: "inline heredoc",
			data: "template = <<-EOT\n    ECS_CLUSTER=$${name}\n    %%{ if on }x%%{ endif }\n  EOT\n  vars = { name = \"main\", on = true }",
			want: "ECS_CLUSTER=main\nx\n"},
		{name: "template file",
			data:  `template = file("${path.module}/t.tpl")` + "\n  vars = { name = upper(\"main\") }",
			files: map[string]string{"t.tpl": "${lower(name)}:${length(split(\",\", \"a,b\"))}"}, want: "main:2"},
		{name: "no vars", data: `template = "plain"`, want: "plain"},
		{name: "unknown var", data: `template = "$${s}"
  vars = { s = var.nothing }`},
		{name: "a list in vars", data: `template = "x"
  vars = { s = ["a"] }`},
		{name: "null in vars", data: `template = "x"
  vars = { s = null }`},
		{name: "a name vars lacks", data: `template = "$${other}"
  vars = { s = "a" }`},
		{name: "a function the provider lacks", data: `template = "$${startswith(s, \"a\")}"
  vars = { s = "a" }`},
		{name: "a file function", data: `template = "$${file(\"t.tpl\")}"`, files: map[string]string{"t.tpl": "x"}},
		{name: "missing file", data: `template = file("${path.module}/missing.tpl")`},
		{name: "the deprecated filename", data: `filename = "t.tpl"`, files: map[string]string{"t.tpl": "x"}},
		{name: "count instance",
			data: `count = 2
  template = "n$${i}"
  vars = { i = count.index }`, ref: "data.template_file.t[1].rendered", want: "n1"},
		{name: "for_each instance",
			data: `for_each = toset(["a", "b"])
  template = "k$${k}"
  vars = { k = each.key }`, ref: `data.template_file.t["b"].rendered`, want: "kb"},
		{name: "another provider's template_file",
			data: `template = "x"`, want: "",
			files: map[string]string{"versions.tf": "terraform {\n  required_providers {\n    template = { source = \"example/template\" }\n  }\n}\n"}},
		{name: "hashicorp/template named in required_providers",
			data: `template = "x"`, want: "x",
			files: map[string]string{"versions.tf": "terraform {\n  required_providers {\n    template = { source = \"registry.terraform.io/hashicorp/template\", version = \"~> 2.2\" }\n  }\n}\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ref := c.ref
			if ref == "" {
				ref = "data.template_file.t.rendered"
			}
			files := map[string]string{"main.tf": "variable \"nothing\" {\n  type = string\n}\n" +
				"data \"template_file\" \"t\" {\n  " + c.data + "\n}\n" +
				"resource \"aws_ecs_cluster\" \"c\" {\n  name = " + ref + "\n}\n"}
			for k, v := range c.files {
				files[k] = v
			}
			cfg, _ := load(t, files, Options{})
			if len(cfg.Clusters) != 1 {
				t.Fatalf("got %d clusters", len(cfg.Clusters))
			}
			got := cfg.Clusters[0].Name
			switch {
			case c.want == "" && got.Known:
				t.Errorf("rendered %q, want unknown", got.V)
			case c.want != "" && (!got.Known || got.V != c.want):
				t.Errorf("rendered %+v, want %q", got, c.want)
			}
		})
	}
}

// TestTemplateFileContainers reads container definitions that a
// template_file renders: known parts with ranges in the template, an
// unknown var explained by what the vars entry names.
func TestTemplateFileContainers(t *testing.T) {
	cfg := mustLoad(t, map[string]string{
		"main.tf": `
variable "image" {
  type = string
}
data "template_file" "c" {
  template = file("${path.module}/c.json")
  vars = {
    image = var.image
    port  = 80
  }
}
resource "aws_ecs_task_definition" "t" {
  family                = "t"
  container_definitions = data.template_file.c.rendered
}
`,
		"c.json": "[\n  {\"name\": \"a\", \"image\": \"${image}\"},\n  {\"name\": \"b\",\n   \"image\": \"nginx:1\", \"portMappings\": [{\"containerPort\": ${port}}]}\n]\n",
	}, Options{})
	if len(cfg.TaskDefinitions) != 1 || len(cfg.TaskDefinitions[0].Containers) != 2 {
		t.Fatalf("task definitions: %+v", cfg.TaskDefinitions)
	}
	a, b := cfg.TaskDefinitions[0].Containers[0], cfg.TaskDefinitions[0].Containers[1]
	if a.Image.Known || filepath.Base(a.Image.Range.Filename) != "c.json" || a.Image.Range.Start.Line != 2 {
		t.Errorf("the unknown image: %+v", a.Image)
	}
	if u := cfg.Unknowns[a.Image.Range]; !strings.Contains(u.Why, "var.image has no value") {
		t.Errorf("the unknown image is explained by %q, want var.image", u.Why)
	}
	if ps := cfg.Passages(a.Image.Range, "aws_ecs_task_definition.t/a"); len(ps) != 1 || ps[0].Range.Start.Line != 8 {
		t.Errorf("the image's passages: %+v, want the vars entry", ps)
	}
	if !b.Image.Known || b.Image.V != "nginx:1" || b.Image.Range.Start.Line != 4 || filepath.Base(b.Image.Range.Filename) != "c.json" {
		t.Errorf("the known image: %+v", b.Image)
	}
}
