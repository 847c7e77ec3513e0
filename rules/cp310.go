package rules

import (
	"fmt"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var ImageExceedsStorage = register(&lint.Rule{
	ID:       "CP310",
	Name:     "image-exceeds-storage",
	Severity: lint.Warning,
	Summary:  "With --check-images: the image's compressed layers for the task's platform are larger than the Fargate task's ephemeral storage.",
	// Compressed size against the storage: the unpacked image is larger
	// still, so a finding is near-certain, but the count is a floor.
	Precision: "high",
	Tags:      []string{"registry-check", "fargate", "storage"},
	Run:       runImageExceedsStorage,
})

// fargateDefaultStorageGiB is the ephemeral storage of a Fargate task
// (Linux, platform version 1.4.0 or later) that asks for none.
const fargateDefaultStorageGiB = 20

// fargateMaxStorageGiB is the most a Fargate task can ask for.
const fargateMaxStorageGiB = 200

func runImageExceedsStorage(pass *lint.Pass) {
	for _, ci := range checkedImages(pass.Config) {
		ck := ci.check
		if ck.CompressedSize <= 0 {
			continue
		}
		if has, known := ck.HasPlatform(); !has || !known {
			continue
		}
		limit, ok := ephemeralStorageGiB(ci.td)
		if !ok || ck.CompressedSize <= int64(limit)<<30 {
			continue
		}
		size := gib(ck.CompressedSize)
		need := min(fargateMaxStorageGiB, max(fargateDefaultStorageGiB+1, 3*ceilGiB(ck.CompressedSize)))
		fix := fmt.Sprintf("make the image smaller, or give the task more storage: `ephemeral_storage { size_in_gib = %d }`", need)
		switch pass.Config.Source {
		case model.SourceJSON:
			fix = fmt.Sprintf("make the image smaller, or give the task more storage: `\"ephemeralStorage\": {\"sizeInGiB\": %d}`", need)
		case model.SourceCloudFormation:
			fix = fmt.Sprintf("make the image smaller, or give the task more storage: `EphemeralStorage: {SizeInGiB: %d}`", need)
		}
		f := lint.Finding{
			Range: ci.c.Image.Range,
			Key:   ci.key(),
			Message: fit(fmt.Sprintf("container %s pulls %s: %s of compressed layers, over the task's %d GiB of ephemeral storage",
				containerLabel(ci.td, ci.c), ci.shown(), size, limit),
				fmt.Sprintf("container %s pulls %s: %s of compressed layers, over the task's %d GiB of ephemeral storage",
					containerLabel(ci.td, ci.c), shortImage(ci.shown()), size, limit)),
			Detail: fmt.Sprintf("Fargate keeps a task's images on its ephemeral storage, %d GiB here, both the pulled compressed layers and the unpacked ones. "+
				"The layers of %s for %s alone are %s compressed; unpacked they are larger still, so the real need is higher than this count, which is why this is a warning and not an error. "+
				"The pull is likely to fail with `CannotPullContainerError: ... no space left on device`.", limit, ci.c.Image.V, ck.Query.Platform, size),
			Fix: fix,
		}
		if es := ci.td.EphemeralStorageGiB; es.Set {
			f.Related = []lint.Related{{Range: es.Range, Message: fmt.Sprintf("ephemeral storage %d GiB", es.V)}}
		}
		pass.Report(f)
	}
}

// ephemeralStorageGiB is the ephemeral storage of a Linux task definition
// that only Fargate runs: 20 GiB unless it asks for more. On EC2 the
// instance's disk decides, and canpull does not know it.
func ephemeralStorageGiB(td *model.TaskDefinition) (int, bool) {
	if !model.FargateOnly(td) {
		return 0, false
	}
	if p, ok := model.TaskPlatform(td); !ok || p.OS != "linux" {
		return 0, false
	}
	es := td.EphemeralStorageGiB
	if !es.Known {
		return 0, false
	}
	return max(fargateDefaultStorageGiB, es.V), true
}
