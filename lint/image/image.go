// Package image classifies container image references the way ECS and the
// Docker daemon behind it will read them: which registry the image comes
// from (Docker Hub, private ECR, ECR Public, anything else), and for private
// ECR which account and region.
package image

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/distribution/reference"
)

// Kind is the kind of registry an image is pulled from.
type Kind int

const (
	DockerHub  Kind = iota + 1 // no registry host, docker.io, index.docker.io, registry-1.docker.io
	PrivateECR                 // ACCOUNT.dkr.ecr.REGION.amazonaws.com and its FIPS, China, dual-stack forms
	PublicECR                  // public.ecr.aws
	Other                      // ghcr.io, quay.io, registry.example.com:5000, ...
)

// String names the kind for messages: "pulled from Docker Hub".
func (k Kind) String() string {
	switch k {
	case DockerHub:
		return "Docker Hub"
	case PrivateECR:
		return "private ECR"
	case PublicECR:
		return "ECR Public"
	case Other:
		return "another registry"
	}
	return "unknown registry"
}

// Info is a valid image reference, split into what the rules need.
type Info struct {
	Raw  string // as given
	Kind Kind
	// Host is the registry host (with port, if any) as written, except that
	// every form Docker rewrites to Docker Hub (no host, docker.io,
	// index.docker.io) is "docker.io". registry-1.docker.io is Docker Hub
	// too but Docker does not rewrite it, so it is kept.
	Host string
	// Repository is the path the registry is asked for: "library/nginx"
	// for "nginx", "my-app", "team/app".
	Repository string
	Tag        string // "" when none
	Digest     string // "" when none, else "sha256:..."

	// PrivateECR only.
	Account   string // 12-digit account ID
	Region    string // "ap-northeast-1"
	FIPS      bool   // dkr.ecr-fips host
	DualStack bool   // dkr-ecr ... on.aws host; AWS PrivateLink does not serve these
}

// Name renders the repository the way people write it: "nginx",
// "team/app", "ghcr.io/org/app", without tag or digest.
func (i Info) Name() string {
	if i.Host == "" { // the zero Info
		return i.Repository
	}
	if i.Host != dockerHubHost {
		return i.Host + "/" + i.Repository
	}
	path := i.Repository
	if rest, ok := strings.CutPrefix(path, officialPrefix); ok && !strings.Contains(rest, "/") {
		path = rest
	}
	// Without "docker.io/", Docker would read "my.org/app" as host my.org.
	if first, _, ok := strings.Cut(path, "/"); ok && isHost(first) {
		return dockerHubHost + "/" + path
	}
	return path
}

// String renders the reference in its short form for messages:
// "nginx:1.27", "team/app@sha256:...".
func (i Info) String() string {
	s := i.Name()
	if i.Tag != "" {
		s += ":" + i.Tag
	}
	if i.Digest != "" {
		s += "@" + i.Digest
	}
	return s
}

const (
	dockerHubHost  = "docker.io"
	officialPrefix = "library/"
)

// IsDockerHubHost reports whether host is one of the names of Docker Hub's
// registry. Host names are case-insensitive.
func IsDockerHubHost(host string) bool {
	switch strings.ToLower(host) {
	case "docker.io", "index.docker.io", "registry-1.docker.io":
		return true
	}
	return false
}

// IsPublicECRHost reports whether host is ECR Public (public.ecr.aws, or its
// dual-stack name ecr-public.aws.com).
func IsPublicECRHost(host string) bool {
	switch strings.ToLower(host) {
	case "public.ecr.aws", "ecr-public.aws.com":
		return true
	}
	return false
}

// ecrHostRE matches private ECR registry hosts in every partition:
// "dkr.ecr" (IPv4) or "dkr-ecr" (dual-stack), optionally "-fips". The region
// must look like one ("us-east-1", "us-gov-west-1", "eusc-de-east-1") so
// that Region can be compared with the configuration's.
var ecrHostRE = regexp.MustCompile(`^([0-9]{12})\.dkr([.-])ecr(-fips)?\.([a-z]+(?:-[a-z]+)*-[0-9]+)\.` +
	`(amazonaws\.com|amazonaws\.com\.cn|amazonaws\.eu|on\.aws|on\.amazonwebservices\.com\.cn|` +
	`c2s\.ic\.gov|sc2s\.sgov\.gov|cloud\.adc-e\.uk|csp\.hci\.ic\.gov)$`)

// ParseECRHost splits a private ECR registry host into its account and region.
func ParseECRHost(host string) (account, region string, ok bool) {
	m := ecrHostRE.FindStringSubmatch(strings.ToLower(host))
	if m == nil {
		return "", "", false
	}
	return m[1], m[4], true
}

// partitionSuffixes maps region prefixes outside the commercial partition to
// the DNS suffix of their ECR registries.
var partitionSuffixes = []struct{ prefix, suffix string }{
	{"cn-", "amazonaws.com.cn"},
	{"eusc-", "amazonaws.eu"},
	{"us-isof-", "csp.hci.ic.gov"},
	{"us-isob-", "sc2s.sgov.gov"},
	{"us-iso-", "c2s.ic.gov"},
	{"eu-isoe-", "cloud.adc-e.uk"},
}

// ECRHost returns the private ECR registry host for an account and region:
// "123456789012.dkr.ecr.eu-west-1.amazonaws.com". Regions in other
// partitions get their own suffix (cn-north-1: amazonaws.com.cn).
func ECRHost(account, region string) string {
	suffix := "amazonaws.com"
	for _, p := range partitionSuffixes {
		if strings.HasPrefix(region, p.prefix) {
			suffix = p.suffix
			break
		}
	}
	return account + ".dkr.ecr." + region + "." + suffix
}

// Parse classifies an image reference as ECS would receive it in a container
// definition's "image". The error, an *Error, says in plain English why the
// reference is not valid.
func Parse(s string) (Info, error) {
	if r, ok := parsed.Load(s); ok {
		r := r.(parseResult)
		return r.info, r.err
	}
	info, err := parse(s)
	if remembered.Add(1) <= maxRemembered {
		parsed.Store(s, parseResult{info, err})
	}
	return info, err
}

// parsed remembers what Parse said of each reference (a parseResult by
// string): every rule asks about the image of every container it checks,
// a run holds few distinct images, and parsing one costs microseconds.
// Info and Error hold only strings, so a remembered answer can be handed
// out again as it is.
var parsed sync.Map

// remembered counts the answers stored, up to maxRemembered.
var remembered atomic.Int64

const maxRemembered = 10_000

type parseResult struct {
	info Info
	err  error
}

func parse(s string) (Info, error) {
	if reason := check(s); reason != "" {
		return Info{}, &Error{Raw: s, Reason: reason}
	}
	named, err := reference.ParseNormalizedNamed(s)
	if err != nil {
		// check covers the usual mistakes; this is the rest of the grammar.
		return Info{}, &Error{Raw: s, Reason: err.Error()}
	}

	info := Info{
		Raw:        s,
		Host:       reference.Domain(named),
		Repository: reference.Path(named),
	}
	if t, ok := named.(reference.Tagged); ok {
		info.Tag = t.Tag()
	}
	if d, ok := named.(reference.Digested); ok {
		info.Digest = d.Digest().String()
	}

	switch m := ecrHostRE.FindStringSubmatch(strings.ToLower(info.Host)); {
	case IsDockerHubHost(info.Host):
		info.Kind = DockerHub
	case m != nil:
		info.Kind = PrivateECR
		info.Account, info.Region = m[1], m[4]
		info.DualStack = m[2] == "-"
		info.FIPS = m[3] != ""
	case IsPublicECRHost(info.Host):
		info.Kind = PublicECR
	default:
		info.Kind = Other
	}
	return info, nil
}

// Error is why an image reference is not valid.
type Error struct {
	Raw    string // the reference as given
	Reason string // short and plain: "upper-case letters in the repository name \"MyApp\""
}

func (e *Error) Error() string { return "invalid image reference: " + e.Reason }
