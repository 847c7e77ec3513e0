package terraform

import "testing"

// runtime_platform and platform_version reach the model with their ranges;
// left out, they are AWS's defaults and not Set.
func TestRuntimePlatformAndPlatformVersion(t *testing.T) {
	cfg := mustLoad(t, map[string]string{
		"main.tf": `
resource "aws_ecs_task_definition" "arm" {
  family = "arm"
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "ARM64"
  }
  ephemeral_storage {
    size_in_gib = 40
  }
  container_definitions = "[]"
}
resource "aws_ecs_task_definition" "plain" {
  family                = "plain"
  container_definitions = "[]"
}
resource "aws_ecs_service" "pinned" {
  name             = "pinned"
  task_definition  = aws_ecs_task_definition.arm.arn
  platform_version = "1.3.0"
}
resource "aws_ecs_service" "latest" {
  name            = "latest"
  task_definition = aws_ecs_task_definition.plain.arn
}
`}, Options{})
	tds := map[string]int{}
	for i, td := range cfg.TaskDefinitions {
		tds[td.Family.V] = i
	}
	arm, plain := cfg.TaskDefinitions[tds["arm"]], cfg.TaskDefinitions[tds["plain"]]
	if a := arm.CPUArchitecture; a.V != "ARM64" || !a.Set || a.Range.Start.Line != 6 {
		t.Errorf("arm cpu architecture %+v", a)
	}
	if o := arm.OSFamily; o.V != "LINUX" || !o.Set || o.Range.Start.Line != 5 {
		t.Errorf("arm os family %+v", o)
	}
	if e := arm.EphemeralStorage; !e.V || !e.Known {
		t.Errorf("arm ephemeral storage %+v", e)
	}
	if a := plain.CPUArchitecture; a.V != "X86_64" || a.Set || !a.Known {
		t.Errorf("plain cpu architecture %+v", a)
	}
	svcs := map[string]int{}
	for i, s := range cfg.Services {
		svcs[s.Name.V] = i
	}
	if pv := cfg.Services[svcs["pinned"]].PlatformVersion; pv.V != "1.3.0" || !pv.Set || pv.Range.Start.Line != 20 {
		t.Errorf("pinned platform version %+v", pv)
	}
	if pv := cfg.Services[svcs["latest"]].PlatformVersion; pv.V != "LATEST" || pv.Set || !pv.Known {
		t.Errorf("latest platform version %+v", pv)
	}
}
