package model

import (
	"context"
	"strings"
)

// The opt-in registry check (--check-images). The driver collects each
// container's fully known image with its task's platform, asks an
// ImageChecker, and attaches each answer to the container as an
// ImageCheck; rules CP308–CP310 read those answers like any other fact.
// Nothing here opens the network: the checker that does lives in
// lint/registry, and only the command constructs it.

// Platform is an OCI platform, as registries name it: "linux"/"amd64".
type Platform struct {
	OS           string
	Architecture string
	Variant      string
}

func (p Platform) String() string {
	s := p.OS + "/" + p.Architecture
	if p.Variant != "" {
		s += "/" + p.Variant
	}
	return s
}

// IsZero reports whether the platform is not known.
func (p Platform) IsZero() bool { return p.OS == "" || p.Architecture == "" }

// Runs reports whether a host of platform want runs an image made for p:
// the same OS and CPU architecture (ARM64's variant aside, which every
// ARM64 host runs). It does not decide the fallbacks a runtime may apply
// (386 on amd64, 32-bit arm on arm64): see MayRun.
func (p Platform) Runs(want Platform) bool {
	return strings.EqualFold(p.OS, want.OS) && strings.EqualFold(p.Architecture, want.Architecture)
}

// MayRun reports whether a runtime on platform want might pick p from an
// index: Runs, or one of the 32-bit fallbacks containerd's matcher allows
// (386 on amd64, arm on arm64). A rule that reports a missing platform
// must not fire when a fallback exists.
func (p Platform) MayRun(want Platform) bool {
	if p.Runs(want) {
		return true
	}
	if !strings.EqualFold(p.OS, want.OS) {
		return false
	}
	switch strings.ToLower(want.Architecture) {
	case "amd64":
		return strings.EqualFold(p.Architecture, "386")
	case "arm64":
		return strings.EqualFold(p.Architecture, "arm")
	}
	return false
}

// TaskPlatform is the platform a task definition's tasks run on, when the
// configuration says: its runtime platform, or X86_64 Linux for a
// task definition that only Fargate runs and that sets none (Fargate's
// default). A task definition that may run on EC2 and sets no runtime
// platform runs on whatever the instance is, which canpull does not know.
func TaskPlatform(td *TaskDefinition) (Platform, bool) {
	osf, arch := td.OSFamily, td.CPUArchitecture
	if !osf.Known || !arch.Known {
		return Platform{}, false
	}
	fargate := FargateOnly(td)
	var p Platform
	switch v := strings.ToUpper(osf.V); {
	case osf.Set && strings.HasPrefix(v, "WINDOWS"):
		p.OS = "windows"
	case osf.Set && v == "LINUX":
		p.OS = "linux"
	case osf.Set && v != "":
		return Platform{}, false // a family canpull does not know
	case arch.Set && arch.V != "" || fargate:
		p.OS = "linux"
	default:
		return Platform{}, false
	}
	switch v := strings.ToUpper(arch.V); {
	case arch.Set && v == "X86_64":
		p.Architecture = "amd64"
	case arch.Set && v == "ARM64":
		p.Architecture = "arm64"
	case arch.Set && v != "":
		return Platform{}, false
	case fargate:
		p.Architecture = "amd64"
	default:
		return Platform{}, false
	}
	return p, true
}

// FargateOnly reports whether a task definition's required compatibilities
// are known and name Fargate alone.
func FargateOnly(td *TaskDefinition) bool {
	rc := td.RequiresCompatibilities
	if !rc.Known || len(rc.V) == 0 {
		return false
	}
	for _, c := range rc.V {
		if !strings.EqualFold(c, "FARGATE") {
			return false
		}
	}
	return true
}

// ImageQuery is one image to ask its registry about.
type ImageQuery struct {
	// Image is a valid, fully known reference, as written.
	Image string
	// Platform is the task's platform; zero when it is not known, and then
	// only the image's existence is asked.
	Platform Platform
}

// ImageChecker asks registries about images. CheckImages returns one
// answer per query, in order. It must end normally whatever the registries
// do: a registry that refuses or does not answer gives ImageUnverified.
type ImageChecker interface {
	CheckImages(ctx context.Context, qs []ImageQuery) []ImageCheck
}

// ImageOutcome is what the registry said about an image.
type ImageOutcome int

const (
	// ImageFound: the tag or digest exists.
	ImageFound ImageOutcome = iota + 1
	// ImageNotFound: the registry says the repository, tag or digest does
	// not exist.
	ImageNotFound
	// ImageUnverified: canpull could not tell (the registry refused the
	// credentials, did not answer, answered something unexpected).
	ImageUnverified
)

// What an ImageNotFound image lacks.
const (
	MissingRepository = "repository"
	MissingTag        = "tag"
	MissingDigest     = "digest"
)

// ImageCheck is a registry's answer about one container's image.
type ImageCheck struct {
	Query ImageQuery
	// Host is the registry asked: "docker.io", "ghcr.io", "127.0.0.1:5000".
	Host    string
	Outcome ImageOutcome
	// Words are the registry's own words, for ImageNotFound
	// ("MANIFEST_UNKNOWN: manifest unknown"), or why the image could not be
	// verified ("401 Unauthorized from ghcr.io"), for ImageUnverified.
	Words string
	// Missing says what does not exist, for ImageNotFound: MissingTag, …
	Missing string
	// ClosestTags are existing tags close to a missing one, closest first,
	// when the registry lists the repository's tags.
	ClosestTags []string
	// Anonymous is true when canpull asked without credentials: a private
	// registry may then answer 404 for what exists.
	Anonymous bool

	// Digest is the manifest or index the reference resolves to.
	Digest string
	// Platforms are the platforms the image holds: its index's manifests
	// (attestations left out), or its one manifest's. Nil when canpull did
	// not read them (no platform was asked, or the registry did not say).
	Platforms []Platform
	// PlatformsComplete is false when some manifest of the index names no
	// platform, or is itself an index: the image may then hold any.
	PlatformsComplete bool
	// CompressedSize is the sum of the compressed layers of the manifest
	// for Query.Platform, in bytes; -1 when not known.
	CompressedSize int64
}

// HasPlatform reports whether the image holds a manifest that a host of
// the query's platform may run; known is false when the platforms were not
// read or are not complete.
func (c *ImageCheck) HasPlatform() (has, known bool) {
	want := c.Query.Platform
	if c.Outcome != ImageFound || want.IsZero() || c.Platforms == nil {
		return false, false
	}
	for _, p := range c.Platforms {
		if p.MayRun(want) {
			return true, true
		}
	}
	return false, c.PlatformsComplete
}
