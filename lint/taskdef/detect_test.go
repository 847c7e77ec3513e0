package taskdef

import (
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want Kind
	}{
		{"register input", `{"family": "web", "containerDefinitions": []}`, RegisterTaskDefinition},
		{"containers only", `{"containerDefinitions": [{"name": "a"}]}`, RegisterTaskDefinition},
		{"family only", `{"family": "web"}`, RegisterTaskDefinition},
		{"family and a role", `{"family": "web", "taskRoleArn": "arn:aws:iam::1:role/r"}`, RegisterTaskDefinition},
		{"family and a misspelt role", `{"family": "web", "taskExecutionRoleArn": "arn:aws:iam::1:role/r"}`, RegisterTaskDefinition},
		{"font", `{"family": "Noto Sans", "weight": 400}`, None},
		{"family not a string", `{"family": {"name": "x"}, "cpu": 1}`, None},
		{"describe-task-definition", `{"taskDefinition": {"family": "web", "revision": 1}, "tags": []}`, DescribeTaskDefinition},
		{"create-service", `{"serviceName": "web", "taskDefinition": "web:1"}`, CreateService},
		{"create-service without task definition", `{"serviceName": "web"}`, None},
		{"taskDefinition not a string", `{"serviceName": "web", "taskDefinition": 1}`, None},
		{"describe-services", `{"services": [{"serviceName": "web"}], "failures": []}`, DescribeServices},
		{"describe-services by ARN", `{"services": [{"serviceArn": "arn:aws:ecs:us-east-1:1:service/c/web"}]}`, DescribeServices},
		{"describe-services, nothing found", `{"services": [], "failures": [{"reason": "MISSING"}]}`, DescribeServices},
		{"empty services", `{"services": []}`, None},
		{"compose", `{"services": {"web": {"image": "nginx"}}}`, None},
		{"services of something else", `{"services": [{"name": "web"}, 1]}`, None},
		{"array", `[{"family": "web", "containerDefinitions": []}]`, None},
		{"package.json", `{"name": "x", "version": "1.0.0", "dependencies": {}}`, None},
		{".tf.json", `{"resource": {"aws_ecs_task_definition": {"web": {"family": "web", "container_definitions": "[]"}}}}`, None},
		{"plan", `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"values": {"family": "web"}}]}}}`, None},
		{"key names inside strings", `{"note": "\"containerDefinitions\": []"}`, None},
		{"BOM", "\ufeff" + `{"family": "web", "containerDefinitions": []}`, RegisterTaskDefinition},
		{"empty", ``, None},
		{"scalar", `"containerDefinitions"`, None},
		// Broken documents are classified by their key names, so that
		// Load reports them instead of skipping them.
		{"broken register input", `{"family": "web", "containerDefinitions": [,]}`, RegisterTaskDefinition},
		{"broken describe output", `{"taskDefinition": {"containerDefinitions": [}}`, DescribeTaskDefinition},
		{"broken create-service", `{"serviceName": "web", "taskDefinition": "web", }`, CreateService},
		{"broken describe-services", `{"services": [{"serviceName": "web",}]}`, DescribeServices},
		{"broken package.json", `{"name": "x", "family": `, None},
		{"broken array", `[{"containerDefinitions": [}]`, None},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.src)); got != tt.want {
			t.Errorf("%s: Detect = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{
		None: "not an ECS document", RegisterTaskDefinition: "register-task-definition input",
		DescribeTaskDefinition: "describe-task-definition output", CreateService: "create-service input",
		DescribeServices: "describe-services output",
	} {
		if k.String() != want {
			t.Errorf("%d: %q", k, k.String())
		}
	}
}

// bigJSON is about 50 MB of JSON that is not an ECS document; with
// withKey it also contains "family" keys deep inside, as a Terraform plan
// with task definitions does.
func bigJSON(withKey bool) []byte {
	var b strings.Builder
	b.WriteString(`{"format_version": "1.2", "resources": [`)
	for i := 0; b.Len() < 50<<20; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"address": "aws_ecs_task_definition.web", "values": {"name": "web", "tags": {"a": "b"}, "list": [1, 2, 3, "xyz"]`)
		if withKey {
			b.WriteString(`, "family": "web"`)
		}
		b.WriteString(`}}`)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

func BenchmarkDetect50MBNoKeys(b *testing.B) {
	src := bigJSON(false)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if Detect(src) != None {
			b.Fatal("detected")
		}
	}
}

func BenchmarkDetect50MBWithKeys(b *testing.B) {
	src := bigJSON(true)
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if Detect(src) != None {
			b.Fatal("detected")
		}
	}
}
