package rules

import (
	"fmt"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var ImagePlatformMissing = register(&lint.Rule{
	ID:       "CP309",
	Name:     "image-platform-missing",
	Severity: lint.Error,
	Summary:  "With --check-images: the image holds no manifest for the task's operating system and CPU architecture.",
	// What the registry lists, against the task's runtime platform.
	Precision: "very-high",
	Tags:      []string{"registry-check", "platform"},
	Run:       runImagePlatformMissing,
})

func runImagePlatformMissing(pass *lint.Pass) {
	for _, ci := range checkedImages(pass.Config) {
		ck := ci.check
		has, known := ck.HasPlatform()
		if !known || has {
			continue
		}
		want := ck.Query.Platform
		holds := platformList(ck.Platforms)
		var d strings.Builder
		if len(ck.Platforms) == 1 {
			fmt.Fprintf(&d, "%s is a single %s image, and the task runs on %s.\n", ci.c.Image.V, holds, want)
		} else {
			fmt.Fprintf(&d, "%s is an index of %s, and none is for %s, which the task runs on.\n", ci.c.Image.V, holds, want)
		}
		fmt.Fprintf(&d, "The runtime asks the registry for the manifest of its own platform, and the pull fails: "+
			"`CannotPullContainerError: ... image Manifest does not contain descriptor matching platform '%s'`", want)
		fix := fmt.Sprintf("build and push the image for %s too (`docker buildx build --platform %s,%s --push`)", want, strings.Join(platformStrings(ck.Platforms), ","), want)
		if alt := taskSetting(ck.Platforms, want, pass.Config.Source); alt != "" {
			fix += ", or " + alt
		}
		if !sameOS(ck.Platforms, want) {
			setting := "runtime_platform's operating_system_family" // CloudFormation's words come from cfnTerms
			if pass.Config.Source == model.SourceJSON {
				setting = "runtimePlatform's operatingSystemFamily"
			}
			fix = fmt.Sprintf("use an image built for %s, or run the task on the image's operating system (%s)", want.OS, setting)
		}
		pass.Report(lint.Finding{
			Range: ci.c.Image.Range,
			Key:   ci.key(),
			Message: fit(fmt.Sprintf("container %s pulls %s, which has no %s image (it holds %s)", containerLabel(ci.td, ci.c), ci.shown(), want, holds),
				fmt.Sprintf("container %s pulls %s, which has no %s image", containerLabel(ci.td, ci.c), shortImage(ci.shown()), want)),
			Detail:  d.String(),
			Fix:     fix,
			Related: platformRelated(ci.td),
		})
	}
}

func platformStrings(ps []model.Platform) []string {
	var out []string
	for _, p := range ps {
		out = append(out, model.Platform{OS: p.OS, Architecture: p.Architecture}.String())
	}
	return out
}

// taskSetting suggests the runtime platform that would run the image,
// when it holds one Linux architecture ECS runs, in the words of the
// task's source (CloudFormation's come from cfnTerms).
func taskSetting(ps []model.Platform, want model.Platform, src model.Source) string {
	for _, p := range ps {
		if !strings.EqualFold(p.OS, want.OS) {
			continue
		}
		arch := map[string]string{"amd64": "X86_64", "arm64": "ARM64"}[p.Architecture]
		switch {
		case arch == "":
			continue
		case src == model.SourceJSON:
			return fmt.Sprintf("set `\"cpuArchitecture\": \"%s\"` in runtimePlatform", arch)
		default:
			return fmt.Sprintf("set `cpu_architecture = \"%s\"` in runtime_platform", arch)
		}
	}
	return ""
}

func sameOS(ps []model.Platform, want model.Platform) bool {
	for _, p := range ps {
		if strings.EqualFold(p.OS, want.OS) {
			return true
		}
	}
	return false
}
