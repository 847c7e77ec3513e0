package image

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/distribution/reference"
)

const (
	// maxLen is the ECS limit on "image": the whole reference when it has a
	// tag, everything before "@" when it has a digest.
	maxLen = 255
	// maxTagLen is the Docker limit on a tag.
	maxTagLen = 128
)

var (
	tagRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]*$`)
	// hex64RE is a sha256 digest's hex, and also what an image ID looks like.
	hex64RE = regexp.MustCompile(`^[a-f0-9]{64}$`)
	// pathComponentRE is one component of a repository name in the Docker grammar.
	pathComponentRE = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)
	hostRE          = regexp.MustCompile(`^(?:` + reference.DomainRegexp.String() + `)$`)
)

// check finds the mistakes people actually make in an image reference and
// explains them; it returns "" when it finds none. The Docker grammar in
// github.com/distribution/reference has the last word, but its errors are
// terse ("invalid reference format"), and ECS is stricter in places.
func check(s string) string {
	if s == "" {
		return "it is empty"
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		// Typically a trailing newline from a heredoc or file().
		return "it contains whitespace"
	}
	if i := strings.Index(s, "://"); i >= 0 {
		return fmt.Sprintf("it starts with a scheme (%.10s://); write the registry host without it", s[:i])
	}
	for _, r := range s {
		if r == '#' {
			return `it contains "#", which ECS accepts but Docker refuses`
		}
		if !allowed(r) {
			return fmt.Sprintf("it contains %q, which is not allowed in an image reference", r)
		}
	}
	if hex64RE.MatchString(s) {
		return "it is an image ID, not a reference to an image in a registry"
	}

	if strings.Count(s, "@") > 1 {
		return `it has more than one "@"`
	}
	name, digest, hasDigest := strings.Cut(s, "@")
	if len(name) > maxLen {
		return fmt.Sprintf("it is %d characters long; ECS allows at most %d (not counting a digest)", len(name), maxLen)
	}
	if hasDigest {
		if reason := checkDigest(digest); reason != "" {
			return reason
		}
	}

	// The tag follows the last ":" after the last "/"; an earlier ":" is a port.
	lastSlash := strings.LastIndexByte(name, '/')
	if i := strings.LastIndexByte(name, ':'); i > lastSlash {
		if reason := checkTag(name[i+1:]); reason != "" {
			return reason
		}
		name = name[:i]
	}
	return checkName(name)
}

// allowed is the character set of the Docker grammar: ASCII letters, digits,
// the separators, "@" for digests and brackets for IPv6 hosts.
func allowed(r rune) bool {
	return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_.:/@[]", r))
}

func checkDigest(d string) string {
	algo, hex, ok := strings.Cut(d, ":")
	switch {
	case d == "":
		return `nothing follows "@"; a digest looks like sha256:<64 hex digits>`
	case !ok:
		return fmt.Sprintf("the digest %.20q has no algorithm; write sha256:<64 hex digits>", d)
	case algo != "sha256":
		return fmt.Sprintf("the digest algorithm is %.20q; ECS accepts only sha256", algo)
	case len(hex) != 64:
		return fmt.Sprintf("the sha256 digest has %d characters; it must have exactly 64 hex digits", len(hex))
	case hex64RE.MatchString(strings.ToLower(hex)) && !hex64RE.MatchString(hex):
		return "the digest has upper-case hex digits; Docker accepts only lower-case"
	case !hex64RE.MatchString(hex):
		return "the digest has characters that are not hex digits"
	}
	return ""
}

func checkTag(tag string) string {
	switch {
	case tag == "":
		return `nothing follows ":"; remove it or add a tag`
	case len(tag) > maxTagLen:
		return fmt.Sprintf("the tag is %d characters long; Docker allows at most %d", len(tag), maxTagLen)
	case !tagRE.MatchString(tag):
		return fmt.Sprintf("the tag %.40q may contain only letters, digits, _, . and -, and must not start with . or -", tag)
	}
	return ""
}

// checkName checks the name without tag or digest.
func checkName(name string) string {
	repo := name
	if host, rest, ok := strings.Cut(name, "/"); ok && isHost(host) {
		repo = rest
	}
	if strings.Contains(repo, ":") {
		return `it has more than one ":" tag separator`
	}
	// Docker reads a lone "public.ecr.aws" or ECR host as a Docker Hub repository of
	// that name, which cannot exist: the repository was left off.
	if repo == name && (IsDockerHubHost(name) || IsPublicECRHost(name) || ecrHostRE.MatchString(strings.ToLower(name))) {
		return fmt.Sprintf("it names only the registry %q; add /REPOSITORY", name)
	}
	// Docker would take an upper-case first component ("MyOrg/app") for a
	// registry host and fail to reach it; it is an upper-case mistake.
	if strings.ToLower(repo) != repo {
		return fmt.Sprintf("the repository name %.60q has upper-case letters; it must be lower-case", repo)
	}
	if repo == "" || strings.HasPrefix(repo, "/") || strings.HasSuffix(repo, "/") || strings.Contains(repo, "//") {
		return fmt.Sprintf("the repository name %.60q has an empty path component", repo)
	}
	for _, c := range strings.Split(repo, "/") {
		if !pathComponentRE.MatchString(c) {
			return fmt.Sprintf("%.60q in the repository name must start and end with a letter or digit, "+
				"with only ., _, __ or - between them", c)
		}
	}
	if repo != name && !hostRE.MatchString(name[:len(name)-len(repo)-1]) {
		return fmt.Sprintf("the registry host %.60q is not a valid host name", name[:len(name)-len(repo)-1])
	}
	return ""
}

// isHost mirrors how Docker tells a registry host from the first path
// component: it contains "." or ":", or it is "localhost".
func isHost(s string) bool {
	return s == "localhost" || strings.ContainsAny(s, ".:")
}
