package rules

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/canpull/canpull/lint"
	"github.com/canpull/canpull/lint/model"
)

var PlatformVersionTooOld = register(&lint.Rule{
	ID:        "CP402",
	Name:      "platform-version-too-old",
	Severity:  lint.Error,
	Precision: "very-high",
	Tags:      []string{"fargate", "platform-version"},
	Summary:   "A Fargate service pins a platform version older than its task definition needs: for ARM64, ephemeral storage, secrets, or private registry credentials.",
	Run:       runPlatformVersionTooOld,
})

// platformNeed is a feature of a task definition that Fargate supports from a
// platform version on.
type platformNeed struct {
	version platformVersion
	what    string
	rng     hcl.Range
}

func runPlatformVersionTooOld(pass *lint.Pass) {
	cfg := pass.Config
	for _, s := range cfg.Services {
		pv := s.PlatformVersion
		if pv.Known && !pv.Set {
			continue // LATEST
		}
		td, ok := model.Resolve[*model.TaskDefinition](cfg, s.TaskDefinition)
		if !ok {
			continue
		}
		if td.OSFamily.Known && isWindows(td.OSFamily.V) {
			continue // Windows has its own platform versions (1.0.0)
		}
		needs, known := platformNeeds(td)
		if spot, _ := spotItem(cfg, s); spot != nil {
			needs = withoutARM64(needs) // ARM64 on Fargate Spot below 1.4.0 is CP306's
		}
		if len(needs) == 0 && known {
			continue
		}
		var v platformVersion
		if pv.Known {
			if v, ok = parsePlatformVersion(pv.V); !ok {
				continue // LATEST
			}
			if n := highestAbove(needs, v); n == nil && known {
				continue
			}
		}
		l := launchOf(cfg, s)
		switch {
		case l == launchEC2:
			continue
		case !pv.Known || !known || l == launchUnknown || !td.OSFamily.Known:
			noteUnknown(pass, pv.Range, s.Addr, "whether the platform version of service "+name(s)+" supports its task definition",
				"The platform version, the launch type, the operating system or the task definition's containers are not known.",
				"give the variables values (--var, --var-file)")
			continue
		}
		n := highestAbove(needs, v)
		pass.Report(lint.Finding{
			Range:   pv.Range,
			Key:     s.Addr,
			Message: fmt.Sprintf("service %s pins Fargate platform version %s, and its tasks need %s or later", name(s), pv.V, n.version),
			Detail: fmt.Sprintf("Service %s runs on Fargate platform version %s, but task definition %s uses %s, which Fargate supports from platform version %s.\n"+
				"ECS refuses to start its tasks: `PlatformTaskDefinitionIncompatibilityException: One or more of the requested capabilities are not supported.`",
				name(s), pv.V, name(td), n.what, n.version),
			Fix:     fmt.Sprintf("set the platform version to %s or later, or to LATEST (or leave it out)", n.version),
			Related: []lint.Related{{Range: n.rng, Message: fmt.Sprintf("%s needs platform version %s", n.what, n.version)}},
		})
	}
}

// platformNeeds lists what a task definition uses that old Fargate platform
// versions do not support. known is false when the containers, their
// secrets or the ephemeral storage cannot be read.
func platformNeeds(td *model.TaskDefinition) (needs []platformNeed, known bool) {
	known = td.ContainersKnown && td.EphemeralStorage.Known && td.CPUArchitecture.Known
	if a := td.CPUArchitecture; a.Known && strings.EqualFold(a.V, "ARM64") {
		needs = append(needs, platformNeed{platformVersion{1, 4, 0}, "the ARM64 CPU architecture", a.Range})
	}
	if td.EphemeralStorage.Known && td.EphemeralStorage.V {
		needs = append(needs, platformNeed{platformVersion{1, 4, 0}, "ephemeralStorage", td.EphemeralStorage.Range})
	}
	for _, c := range td.Containers {
		if c.Fields == nil {
			// A container that could not be read at all: it may use anything.
			known = false
			continue
		}
		if !c.SecretsKnown {
			known = false
		}
		for _, sec := range c.Secrets {
			if sec.SelectsPart {
				needs = append(needs, platformNeed{platformVersion{1, 4, 0}, "a secret with a JSON key or version (container " + containerLabel(td, c) + ")", sec.ValueFrom.Range})
			} else {
				needs = append(needs, platformNeed{platformVersion{1, 3, 0}, "secrets (container " + containerLabel(td, c) + ")", sec.ValueFrom.Range})
			}
		}
		if c.HasCredentials && c.Credentials.Known { // certainly has them, not "may have"
			needs = append(needs, platformNeed{platformVersion{1, 2, 0}, "repositoryCredentials (container " + containerLabel(td, c) + ")", c.Credentials.Range})
		}
	}
	return needs, known
}

// withoutARM64 drops the ARM64 need.
func withoutARM64(needs []platformNeed) []platformNeed {
	var out []platformNeed
	for _, n := range needs {
		if n.what != "the ARM64 CPU architecture" {
			out = append(out, n)
		}
	}
	return out
}

// highestAbove returns the need with the highest version above v, or nil.
func highestAbove(needs []platformNeed, v platformVersion) *platformNeed {
	var best *platformNeed
	for i := range needs {
		n := &needs[i]
		if v.less(n.version) && (best == nil || best.version.less(n.version)) {
			best = n
		}
	}
	return best
}
