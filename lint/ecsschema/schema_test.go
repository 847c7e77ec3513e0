package ecsschema

import "testing"

func TestSuggest(t *testing.T) {
	tests := []struct {
		key       string
		here      *Object
		want      string // "" for no suggestion
		variant   bool
		elsewhere bool
		pull      bool
	}{
		// The reference article's key.
		{"taskExecutionRoleArn", TaskDefinition, "executionRoleArn", false, false, true},
		{"repositoryCredential", ContainerDefinition, "repositoryCredentials", false, false, true},
		{"repository_credentials", ContainerDefinition, "repositoryCredentials", true, false, true},
		{"RepositoryCredentials", ContainerDefinition, "repositoryCredentials", true, false, true},
		{"credentialParameter", repositoryCredentials, "credentialsParameter", false, false, true},
		{"credentials_parameter", repositoryCredentials, "credentialsParameter", true, false, true},
		{"imgae", ContainerDefinition, "image", false, false, true},
		{"port_mappings", ContainerDefinition, "portMappings", true, false, false},
		{"memoryReserve", ContainerDefinition, "memoryReservation", false, false, false},
		{"enviroment", ContainerDefinition, "environment", false, false, false}, //nolint:misspell // the misspelling under test
		// Written in the wrong object.
		{"execution_role_arn", ContainerDefinition, "executionRoleArn", true, true, true},
		{"executionRoleArn", ContainerDefinition, "executionRoleArn", true, true, true},
		{"taskExecutionRoleArn", ContainerDefinition, "executionRoleArn", false, true, true},
		{"assign_public_ip", Service, "", false, false, false},
		// Nothing near.
		{"foo", ContainerDefinition, "", false, false, false},
		{"x-custom-annotation", TaskDefinition, "", false, false, false},
		{"", ContainerDefinition, "", false, false, false},
	}
	for _, tt := range tests {
		s, ok := Suggest(tt.key, tt.here, TaskDefinition, ContainerDefinition)
		if tt.want == "" {
			if ok {
				t.Errorf("Suggest(%q) = %q, want none", tt.key, s.Field.Name)
			}
			continue
		}
		if !ok {
			t.Errorf("Suggest(%q) found nothing, want %q", tt.key, tt.want)
			continue
		}
		if s.Field.Name != tt.want || s.Variant != tt.variant || s.Elsewhere != tt.elsewhere || s.Field.Pull != tt.pull {
			t.Errorf("Suggest(%q) = %s (variant %v, elsewhere %v, pull %v), want %s (%v, %v, %v)",
				tt.key, s.Field.Name, s.Variant, s.Elsewhere, s.Field.Pull, tt.want, tt.variant, tt.elsewhere, tt.pull)
		}
	}
}

func TestFold(t *testing.T) {
	if fd := ContainerDefinition.Fold("Image"); fd == nil || fd.Name != "image" {
		t.Errorf("Fold(Image) = %v", fd)
	}
	if fd := ContainerDefinition.Fold("REPOSITORYCREDENTIALS"); fd == nil || fd.Name != "repositoryCredentials" {
		t.Errorf("Fold(REPOSITORYCREDENTIALS) = %v", fd)
	}
	if fd := ContainerDefinition.Fold("repository_credentials"); fd != nil {
		t.Errorf("Fold(repository_credentials) = %v, want nil: encoding/json does not ignore underscores", fd.Name)
	}
	var nilObj *Object
	if nilObj.Fold("x") != nil || nilObj.Field("x") != nil {
		t.Error("a nil object has fields")
	}
}

// TestSchemaShape guards the data: every object's fields are unique, know
// their parent, and the fields that matter for pulling are where the rules
// expect them.
func TestSchemaShape(t *testing.T) {
	seen := map[*Object]bool{}
	var walk func(o *Object)
	walk = func(o *Object) {
		if seen[o] {
			return
		}
		seen[o] = true
		names := map[string]bool{}
		for _, fd := range o.Fields {
			if names[fd.Name] {
				t.Errorf("%s: duplicate field %s", o.Name, fd.Name)
			}
			names[fd.Name] = true
			if fd.Parent != o {
				t.Errorf("%s.%s: wrong parent", o.Name, fd.Name)
			}
			if fd.Object != nil {
				walk(fd.Object)
			}
		}
	}
	for _, o := range []*Object{TaskDefinition, ContainerDefinition, Service} {
		walk(o)
	}
	for _, p := range []struct {
		o    *Object
		path []string
	}{
		{TaskDefinition, []string{"executionRoleArn"}},
		{TaskDefinition, []string{"runtimePlatform", "cpuArchitecture"}},
		{ContainerDefinition, []string{"repositoryCredentials", "credentialsParameter"}},
		{Service, []string{"networkConfiguration", "awsvpcConfiguration", "assignPublicIp"}},
	} {
		o := p.o
		var fd *Field
		for _, name := range p.path {
			fd = o.Field(name)
			if fd == nil {
				t.Fatalf("%s has no %v", p.o.Name, p.path)
			}
			o = fd.Object
		}
		if !fd.Pull {
			t.Errorf("%s %v is not marked as mattering for pulls", p.o.Name, p.path)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "acb", 1}, {"image", "imgae", 1},
		{"kitten", "sitting", 3}, {"", "abc", 3},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
