package rules

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/image"
	"github.com/canpull/canpull/lint/model"
)

var PlatformMismatch = register(&lint.Rule{
	ID:        "CP306",
	Name:      "platform-mismatch",
	Severity:  lint.Error,
	Precision: "high",
	Tags:      []string{"platform", "fargate-spot"},
	Summary:   "A task runs on a platform that cannot run it: Windows or old-platform ARM64 tasks on Fargate Spot, or an image built for another CPU architecture.",
	Run:       runPlatformMismatch,
})

func runPlatformMismatch(pass *lint.Pass) {
	for _, s := range pass.Config.Services {
		checkSpotPlatform(pass, s)
	}
	for _, td := range pass.Config.TaskDefinitions {
		checkImageArchitecture(pass, td)
	}
}

// checkSpotPlatform reports a service that places tasks on FARGATE_SPOT
// that FARGATE_SPOT cannot run: it runs Linux tasks only, and ARM64 ones
// from platform version 1.4.0.
func checkSpotPlatform(pass *lint.Pass, s *model.Service) {
	cfg := pass.Config
	td, ok := model.Resolve[*model.TaskDefinition](cfg, s.TaskDefinition)
	if !ok {
		return
	}
	os, arch := td.OSFamily, td.CPUArchitecture
	if os.Known && !isWindows(os.V) && arch.Known && !strings.EqualFold(arch.V, "ARM64") {
		return // Linux on X86_64 (or the default): Fargate Spot runs it
	}
	spot, unknown := spotItem(cfg, s)
	if unknown {
		noteUnknown(pass, s.Range, s.Addr, "whether service "+name(s)+" places tasks on FARGATE_SPOT",
			"Its capacity provider strategy, or its cluster's, is not known.",
			"give the variables values (--var, --var-file), and scan the cluster's configuration too")
		return
	}
	if spot == nil {
		return
	}
	related := []lint.Related{{Range: s.TaskDefinition.Range, Message: "task definition " + name(td)}}
	switch {
	case !os.Known || !arch.Known:
		pass.Unverified(spot.Provider.Range, s.Addr, "the runtime platform of task definition "+name(td)+" is unknown", "give the variables values (--var, --var-file)")
	case isWindows(os.V):
		pass.Report(lint.Finding{
			Range:   spot.Provider.Range,
			Key:     s.Addr,
			Message: fmt.Sprintf("service %s places %s tasks on FARGATE_SPOT, which runs Linux tasks only", name(s), os.V),
			Detail: fmt.Sprintf("Service %s places tasks on FARGATE_SPOT, but task definition %s runs %s: Fargate Spot runs Linux tasks only, so ECS cannot start any of the tasks that the strategy sends there.",
				name(s), name(td), os.V),
			Fix:     "use the FARGATE capacity provider for Windows tasks",
			Related: append(related, lint.Related{Range: os.Range, Message: "operating system family " + os.V}),
		})
	case strings.EqualFold(arch.V, "ARM64"):
		pv := s.PlatformVersion
		if !pv.Known {
			pass.Unverified(pv.Range, s.Addr, "the platform version of service "+name(s)+" is unknown", "give the variables values (--var, --var-file)")
			return
		}
		v, ok := parsePlatformVersion(pv.V)
		if !ok || !v.less(platformVersion{1, 4, 0}) {
			return
		}
		pass.Report(lint.Finding{
			Range:   pv.Range,
			Key:     s.Addr,
			Message: fmt.Sprintf("service %s places ARM64 tasks on FARGATE_SPOT with platform version %s, older than 1.4.0", name(s), pv.V),
			Detail: fmt.Sprintf("Service %s places ARM64 tasks of %s on FARGATE_SPOT with platform version %s: Fargate Spot runs ARM64 tasks from platform version 1.4.0 only.\nECS refuses the combination: `PlatformTaskDefinitionIncompatibilityException`.",
				name(s), name(td), pv.V),
			Fix:     "set `platform_version = \"1.4.0\"` or `\"LATEST\"`",
			Related: append(related, lint.Related{Range: spot.Provider.Range, Message: "FARGATE_SPOT"}, lint.Related{Range: arch.Range, Message: "cpu architecture ARM64"}),
		})
	}
}

// spotItem returns the FARGATE_SPOT item of the strategy that places a
// service's tasks, if it receives any (a weight or a base above zero).
func spotItem(cfg *model.Config, s *model.Service) (*model.StrategyItem, bool) {
	if !s.LaunchType.Known {
		return nil, true
	}
	if s.LaunchType.Set && s.LaunchType.V != "" {
		return nil, false
	}
	st := s.CapacityStrategy
	if !st.Known {
		return nil, true
	}
	if len(st.Items) == 0 {
		c, ok := model.Resolve[*model.Cluster](cfg, s.Cluster)
		if !ok {
			return nil, false // no spot that canpull can see; launchOf says the same
		}
		st = c.DefaultStrategy
		if !st.Known {
			return nil, true
		}
	}
	for i := range st.Items {
		it := &st.Items[i]
		if !it.Provider.Known {
			return nil, true
		}
		if it.Provider.V != "FARGATE_SPOT" {
			continue
		}
		if !it.Weight.Known || !it.Base.Known {
			return nil, true
		}
		if it.Weight.V > 0 || it.Base.V > 0 {
			return it, false
		}
	}
	return nil, false
}

func isWindows(osFamily string) bool {
	return strings.HasPrefix(strings.ToUpper(osFamily), "WINDOWS")
}

// checkImageArchitecture reports images whose tag, or whose Docker Hub
// namespace, names another CPU architecture than the task runs on.
func checkImageArchitecture(pass *lint.Pass, td *model.TaskDefinition) {
	arch, ok := taskArchitecture(td)
	if !ok {
		return
	}
	for _, c := range td.Containers {
		if !c.Image.Known {
			continue
		}
		info, err := image.Parse(c.Image.V)
		if err != nil {
			continue
		}
		other := imageArchitecture(info)
		if other == "" || other == arch {
			continue
		}
		f := lint.Finding{
			Severity: lint.Warning,
			Range:    c.Image.Range,
			Key:      td.Addr + "/" + c.Name.V,
			Message:  fmt.Sprintf("container %s pulls an image built for %s, by its name, but the task runs on %s", containerLabel(td, c), other, arch),
			Detail: fmt.Sprintf("Container %s of %s pulls %s, which by its name is built for %s, but the task runs on %s. "+
				"Unless the image is a multi-architecture one that also holds %s, the pull fails.\n"+
				"The task stops with `CannotPullContainerError: ... image Manifest does not contain descriptor matching platform 'linux/%s'`.",
				containerLabel(td, c), name(td), c.Image.V, other, arch, arch, dockerArch(arch)),
			Fix: fmt.Sprintf("use the image built for %s, or set `cpu_architecture = %q` in runtime_platform", arch, other),
		}
		if td.CPUArchitecture.Set {
			f.Related = []lint.Related{{Range: td.CPUArchitecture.Range, Message: "cpu architecture " + arch}}
		}
		pass.Report(f)
	}
}

// taskArchitecture is the CPU architecture a task definition's tasks run
// on, when the configuration says: its runtime platform, or X86_64 for a
// Fargate-only task definition without one (Fargate's default). On EC2
// the instance decides, and canpull does not know it.
func taskArchitecture(td *model.TaskDefinition) (string, bool) {
	a := td.CPUArchitecture
	if !a.Known {
		return "", false
	}
	if a.Set {
		if isWindows(td.OSFamily.V) {
			return "", false
		}
		return strings.ToUpper(a.V), a.V != ""
	}
	rc := td.RequiresCompatibilities
	if !rc.Known || len(rc.V) == 0 {
		return "", false
	}
	for _, c := range rc.V {
		if !strings.EqualFold(c, "FARGATE") {
			return "", false
		}
	}
	if td.OSFamily.Known && td.OSFamily.Set && isWindows(td.OSFamily.V) {
		return "", false
	}
	return "X86_64", true
}

var (
	armTagRE = regexp.MustCompile(`(^|[-_.])(arm64|aarch64|arm64v8)([-_.]|$)`)
	amdTagRE = regexp.MustCompile(`(^|[-_.])(amd64|x86[-_]64)([-_.]|$)`)
)

// imageArchitecture is the architecture an image's tag, or its Docker Hub
// architecture namespace (arm64v8/nginx, amd64/nginx), names; "" when it
// names none.
func imageArchitecture(info image.Info) string {
	tag := strings.ToLower(info.Tag)
	first, _, _ := strings.Cut(info.Repository, "/")
	hub := info.Kind == image.DockerHub
	switch {
	case armTagRE.MatchString(tag) || hub && first == "arm64v8":
		return "ARM64"
	case amdTagRE.MatchString(tag) || hub && first == "amd64":
		return "X86_64"
	}
	return ""
}

// dockerArch is the platform's name in the runtime's error message.
func dockerArch(arch string) string {
	if arch == "ARM64" {
		return "arm64"
	}
	return "amd64"
}
