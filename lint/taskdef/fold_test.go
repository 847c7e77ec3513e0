package taskdef

import (
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/jsontree"
)

// DecodeContainers matches keys as the Terraform provider does: case does
// not matter, separators do.
func TestDecodeContainersFoldsKeys(t *testing.T) {
	src := `[{"Name": "app", "IMAGE": "nginx:1.27",
	  "RepositoryCredentials": {"CredentialsParameter": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:hub"},
	  "logConfiguration": {"LogDriver": "awslogs", "options": {"Awslogs-Group": "/ecs/app"}},
	  "repository_credentials": {"credentialsParameter": "x"}}]`
	v, diags := jsontree.Parse("c.json", []byte(src), hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	cs, diags := DecodeContainers(v)
	if diags.HasErrors() || len(cs) != 1 {
		t.Fatalf("%d containers, %v", len(cs), diags)
	}
	c := cs[0]
	if c.Name.V != "app" || c.Image.V != "nginx:1.27" {
		t.Errorf("name %+v, image %+v", c.Name, c.Image)
	}
	if !c.HasCredentials || c.Credentials.Value != "arn:aws:secretsmanager:eu-west-1:111122223333:secret:hub" {
		t.Errorf("credentials %+v", c.Credentials)
	}
	if c.Log == nil || c.Log.Driver.V != "awslogs" {
		t.Fatalf("log %+v", c.Log)
	}
	if _, ok := c.Log.Options["Awslogs-Group"]; !ok {
		t.Errorf("log options are free keys and keep their spelling: %v", c.Log.Options)
	}
	keys := map[string]bool{}
	for _, f := range c.Fields.Fields {
		keys[f.Key] = true
	}
	if !keys["repositoryCredentials"] || !keys["repository_credentials"] || keys["RepositoryCredentials"] {
		t.Errorf("keys %v", keys)
	}
}

// Load reads JSON documents as the AWS CLI does: case matters there.
func TestLoadDoesNotFoldKeys(t *testing.T) {
	cfg := load(t, File{Name: "td.json", Src: []byte(`{"family": "app", "containerDefinitions": [{"name": "app", "Image": "nginx:1.27"}]}`)})
	c := cfg.TaskDefinitions[0].Containers[0]
	if c.Image.Set || c.Fields.Get("Image") == nil {
		t.Errorf("image %+v, fields %+v", c.Image, c.Fields)
	}
}

func TestPlaceholderImagesAreUnknown(t *testing.T) {
	for _, img := range []string{"<IMAGE1_NAME>", "${IMAGE}", "{{ must_env `IMAGE` }}", "#{Image}", "$IMAGE", "repo/app:<TAG>", "REPOSITORY_URI:IMAGE_TAG", "IMAGE_URI", "IMAGE1:latest"} {
		cfg := load(t, File{Name: "td.json", Src: []byte(`{"family": "app", "containerDefinitions": [{"name": "app", "image": ` + quote(img) + `}]}`)})
		if c := cfg.TaskDefinitions[0].Containers[0]; c.Image.Known {
			t.Errorf("%s: image %+v, want unknown", img, c.Image)
		}
	}
	for _, img := range []string{"nginx:1.27", "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.0", "$", "MyApp:1.0", "registry/APP:1", "A", "APP_"} {
		if isPlaceholder(img) {
			t.Errorf("%s is no placeholder", img)
		}
	}
}

func quote(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}
