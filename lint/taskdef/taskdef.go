package taskdef

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint/ecsschema"
	"github.com/canpull/canpull/lint/jsontree"
	"github.com/canpull/canpull/lint/model"
)

// DecodeTaskDefinition reads a task definition shaped like the input of
// register-task-definition (camelCase keys). addr becomes its Meta.Addr.
func DecodeTaskDefinition(v *jsontree.Value, addr string) (*model.TaskDefinition, hcl.Diagnostics) {
	var d decoder
	td := d.taskDefinition(v, addr, "")
	return td, d.sorted()
}

func (d *decoder) taskDefinition(v *jsontree.Value, addr, path string) *model.TaskDefinition {
	td := &model.TaskDefinition{Meta: model.Meta{Addr: addr, Range: openRange(v)}}
	switch d.item(v, nonEmpty(path, "task definition"), jsontree.Object, false) {
	case unknown:
		r := v.Range
		td.Family = model.UnknownFact[string](r)
		td.RequiresCompatibilities = model.UnknownFact[[]string](r)
		td.NetworkMode = model.UnknownFact[string](r)
		td.ExecutionRole = model.Ref{Range: r}
		td.TaskRole = model.Ref{Range: r}
		td.CPUArchitecture = model.UnknownFact[string](r)
		td.OSFamily = model.UnknownFact[string](r)
		td.EphemeralStorage = model.UnknownFact[bool](r)
		td.EphemeralStorageGiB = model.UnknownFact[int](r)
		td.ContainersRange = r
		return td
	}
	d.shapes(v, ecsschema.TaskDefinition, path)
	td.Fields = docOf(v)
	td.Family = d.str(v, path, "family", "")
	td.RequiresCompatibilities = d.strList(v, path, "requiresCompatibilities")
	// Left out, the network mode depends on the platform (bridge on Linux
	// EC2); "" with Set false says so.
	td.NetworkMode = d.str(v, path, "networkMode", "")
	td.ExecutionRole = d.ref(v, path, "executionRoleArn")
	td.TaskRole = d.ref(v, path, "taskRoleArn")

	// Without runtimePlatform, ECS runs the task on whatever the capacity
	// is (Fargate: X86_64 Linux), so "" rather than a guess.
	switch m, p := d.field(v, path, "runtimePlatform", jsontree.Object); p {
	case absent:
		td.CPUArchitecture = model.DefaultFact("", v.Range)
		td.OSFamily = model.DefaultFact("", v.Range)
	case unknown:
		td.CPUArchitecture = model.UnknownFact[string](m.Value.Range)
		td.OSFamily = model.UnknownFact[string](m.Value.Range)
	case present:
		p := join(path, "runtimePlatform")
		td.CPUArchitecture = d.str(m.Value, p, "cpuArchitecture", "")
		td.OSFamily = d.str(m.Value, p, "operatingSystemFamily", "")
	}

	switch m, p := d.field(v, path, "ephemeralStorage", jsontree.Object); p {
	case absent:
		td.EphemeralStorage = model.DefaultFact(false, v.Range)
		td.EphemeralStorageGiB = model.DefaultFact(0, v.Range)
	case unknown:
		td.EphemeralStorage = model.UnknownFact[bool](m.Value.Range)
		td.EphemeralStorageGiB = model.UnknownFact[int](m.Value.Range)
	case present:
		td.EphemeralStorage = model.KnownFact(true, m.Value.Range)
		td.EphemeralStorageGiB = d.integer(m.Value, join(path, "ephemeralStorage"), "sizeInGiB", 0)
	}

	switch m, p := d.field(v, path, "containerDefinitions", jsontree.Array); p {
	case absent:
		td.ContainersKnown = true
		td.ContainersRange = v.Range
	case unknown:
		td.ContainersRange = m.KeyRange
	case present:
		td.Containers = d.containers(m.Value, join(path, "containerDefinitions"))
		td.ContainersKnown = true
		td.ContainersRange = m.KeyRange
	}

	// A describe-task-definition output says where the task definition
	// lives.
	if arn := d.ref(v, path, "taskDefinitionArn"); arn.Known {
		td.Account, td.Region = arnPlace(arn.Value, arn.Range)
	}
	return td
}

func nonEmpty(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
