package image

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	sha    = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	ecrHub = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Info // Raw is filled in from in
	}{
		// Docker Hub: every way of writing it.
		{"nginx", Info{Kind: DockerHub, Host: "docker.io", Repository: "library/nginx"}},
		{"nginx:1.27-alpine", Info{Kind: DockerHub, Host: "docker.io", Repository: "library/nginx", Tag: "1.27-alpine"}},
		{"nginx:latest", Info{Kind: DockerHub, Host: "docker.io", Repository: "library/nginx", Tag: "latest"}},
		{"bitnami/redis:7.2", Info{Kind: DockerHub, Host: "docker.io", Repository: "bitnami/redis", Tag: "7.2"}},
		{"docker.io/nginx", Info{Kind: DockerHub, Host: "docker.io", Repository: "library/nginx"}},
		{"docker.io/library/nginx:1", Info{Kind: DockerHub, Host: "docker.io", Repository: "library/nginx", Tag: "1"}},
		{"index.docker.io/amazon/amazon-ecs-agent", Info{Kind: DockerHub, Host: "docker.io", Repository: "amazon/amazon-ecs-agent"}},
		{"index.docker.io/busybox", Info{Kind: DockerHub, Host: "docker.io", Repository: "library/busybox"}},
		// Docker does not rewrite registry-1.docker.io, nor add "library/".
		{"registry-1.docker.io/library/nginx", Info{Kind: DockerHub, Host: "registry-1.docker.io", Repository: "library/nginx"}},
		{"registry-1.docker.io/nginx", Info{Kind: DockerHub, Host: "registry-1.docker.io", Repository: "nginx"}},
		{"nginx@" + sha, Info{Kind: DockerHub, Host: "docker.io", Repository: "library/nginx", Digest: sha}},
		{"nginx:1.27@" + sha, Info{Kind: DockerHub, Host: "docker.io", Repository: "library/nginx", Tag: "1.27", Digest: sha}},
		{"alpine:V1.0_RC", Info{Kind: DockerHub, Host: "docker.io", Repository: "library/alpine", Tag: "V1.0_RC"}},
		{"a__b-c.d", Info{Kind: DockerHub, Host: "docker.io", Repository: "library/a__b-c.d"}},
		// Docker reads "localhost:5000" as the repository "localhost", tag "5000".
		{"localhost:5000", Info{Kind: DockerHub, Host: "docker.io", Repository: "library/localhost", Tag: "5000"}},

		// Private ECR.
		{ecrHub + "/my-app:v1.2.3", Info{Kind: PrivateECR, Host: ecrHub, Repository: "my-app", Tag: "v1.2.3", Account: "123456789012", Region: "eu-west-1"}},
		{ecrHub + "/team/svc/api@" + sha, Info{Kind: PrivateECR, Host: ecrHub, Repository: "team/svc/api", Digest: sha, Account: "123456789012", Region: "eu-west-1"}},
		{ecrHub + "/docker-hub/library/nginx", Info{Kind: PrivateECR, Host: ecrHub, Repository: "docker-hub/library/nginx", Account: "123456789012", Region: "eu-west-1"}},
		{"210987654321.dkr.ecr.ap-northeast-1.amazonaws.com/app", Info{Kind: PrivateECR, Host: "210987654321.dkr.ecr.ap-northeast-1.amazonaws.com", Repository: "app", Account: "210987654321", Region: "ap-northeast-1"}},
		{"123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app:1", Info{Kind: PrivateECR, Host: "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", Repository: "app", Tag: "1", Account: "123456789012", Region: "us-gov-west-1", FIPS: true}},
		{"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app", Info{Kind: PrivateECR, Host: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", Repository: "app", Account: "123456789012", Region: "cn-north-1"}},
		{"123456789012.dkr-ecr.us-east-1.on.aws/app:2", Info{Kind: PrivateECR, Host: "123456789012.dkr-ecr.us-east-1.on.aws", Repository: "app", Tag: "2", Account: "123456789012", Region: "us-east-1", DualStack: true}},
		{"123456789012.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn/app", Info{Kind: PrivateECR, Host: "123456789012.dkr-ecr.cn-northwest-1.on.amazonwebservices.com.cn", Repository: "app", Account: "123456789012", Region: "cn-northwest-1", DualStack: true}},
		{"123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu/app", Info{Kind: PrivateECR, Host: "123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu", Repository: "app", Account: "123456789012", Region: "eusc-de-east-1"}},
		// Host names are case-insensitive; the host is kept as written.
		{"123456789012.DKR.ECR.US-EAST-1.AMAZONAWS.COM/app", Info{Kind: PrivateECR, Host: "123456789012.DKR.ECR.US-EAST-1.AMAZONAWS.COM", Repository: "app", Account: "123456789012", Region: "us-east-1"}},
		// Near misses are some other registry.
		{"12345678901.dkr.ecr.us-east-1.amazonaws.com/app", Info{Kind: Other, Host: "12345678901.dkr.ecr.us-east-1.amazonaws.com", Repository: "app"}},
		{"123456789012.dkr.ecr.us-east-1.amazonaws.com:443/app", Info{Kind: Other, Host: "123456789012.dkr.ecr.us-east-1.amazonaws.com:443", Repository: "app"}},
		{"123456789012.dkr.ecr.useast1.amazonaws.com/app", Info{Kind: Other, Host: "123456789012.dkr.ecr.useast1.amazonaws.com", Repository: "app"}},

		// ECR Public.
		{"public.ecr.aws/nginx/nginx:1.27", Info{Kind: PublicECR, Host: "public.ecr.aws", Repository: "nginx/nginx", Tag: "1.27"}},
		{"public.ecr.aws/docker/library/alpine@" + sha, Info{Kind: PublicECR, Host: "public.ecr.aws", Repository: "docker/library/alpine", Digest: sha}},
		{"ecr-public.aws.com/aws-observability/aws-otel-collector", Info{Kind: PublicECR, Host: "ecr-public.aws.com", Repository: "aws-observability/aws-otel-collector"}},

		// Other registries.
		{"ghcr.io/org/app:main", Info{Kind: Other, Host: "ghcr.io", Repository: "org/app", Tag: "main"}},
		{"quay.io/prometheus/node-exporter", Info{Kind: Other, Host: "quay.io", Repository: "prometheus/node-exporter"}},
		{"registry.example.com:5000/a/b/c:tag", Info{Kind: Other, Host: "registry.example.com:5000", Repository: "a/b/c", Tag: "tag"}},
		{"docker.io/0.0/0", Info{Kind: DockerHub, Host: "docker.io", Repository: "0.0/0"}},
		{"localhost/app", Info{Kind: Other, Host: "localhost", Repository: "app"}},
		{"localhost:5000/app", Info{Kind: Other, Host: "localhost:5000", Repository: "app"}},
		{"myregistry:5000/app", Info{Kind: Other, Host: "myregistry:5000", Repository: "app"}},
		{"[::1]:5000/app", Info{Kind: Other, Host: "[::1]:5000", Repository: "app"}},
		{"Registry.Example.com/app", Info{Kind: Other, Host: "Registry.Example.com", Repository: "app"}},
		{"hub.docker.com/library/nginx", Info{Kind: Other, Host: "hub.docker.com", Repository: "library/nginx"}},
		// With "library/", the longest official name Docker accepts.
		{strings.Repeat("a", 247), Info{Kind: DockerHub, Host: "docker.io", Repository: "library/" + strings.Repeat("a", 247)}},
		{"app:" + strings.Repeat("t", 128), Info{Kind: DockerHub, Host: "docker.io", Repository: "library/app", Tag: strings.Repeat("t", 128)}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			tt.want.Raw = tt.in
			if got != tt.want {
				t.Errorf("Parse(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	long := "registry.example.com/" + strings.Repeat("a", 235) // 256 characters
	tests := []struct {
		in, reason string // reason: a substring of the error's Reason
	}{
		{"", "empty"},
		{"UPPER_TAG:V1.0_RC", "upper-case"},
		{"MyApp", "upper-case"},
		{"MyOrg/app", "upper-case"},
		{ecrHub + "/My-App:v1", "upper-case"},
		{"docker.io/Library/nginx", "upper-case"},
		{"nginx ", "whitespace"},
		{" nginx", "whitespace"},
		{"nginx:1.27\n", "whitespace"},
		{"my app", "whitespace"},
		{"nginx\u00a0", "whitespace"},
		{"https://" + ecrHub + "/app", "scheme (https://)"},
		{"http://registry.example.com/app", "scheme (http://)"},
		{"docker://nginx", "scheme"},
		{"nginx@sha256:abc", "64 hex digits"},
		{"nginx@sha256:" + strings.Repeat("g", 64), "not hex"},
		{"nginx@sha256:" + strings.Repeat("A", 64), "lower-case"},
		{"nginx@sha512:" + strings.Repeat("a", 128), "only sha256"},
		{"nginx@" + strings.Repeat("a", 64), "no algorithm"},
		{"nginx@", `nothing follows "@"`},
		{"nginx@" + sha + "@" + sha, `more than one "@"`},
		{long, "256 characters"},
		{long + "@" + sha, "256 characters"},
		{strings.Repeat("a", 248), "more than 255"}, // 255 with "library/"
		{"app:" + strings.Repeat("t", 129), "tag is 129 characters"},
		{"nginx:", `nothing follows ":"`},
		{"nginx:.hidden", "the tag"},
		{"nginx:1.0:2", `more than one ":"`},
		{"nginx#1", `"#"`},
		{"nginx:é", "not allowed"},
		{"nginx\x00", "not allowed"},
		{"\xff", "not allowed"},
		{"team//app", "empty path component"},
		{"ghcr.io/", "empty path component"},
		{"app/", "empty path component"},
		{"/app", "empty path component"},
		{"-app", "must start and end"},
		{"app.", "must start and end"},
		{"a...b", "must start and end"},
		{"-bad.example.com/app", "not a valid host name"},
		{strings.Repeat("ab", 32), "image ID"},
		{ecrHub, "only the registry"},
		{ecrHub + ":latest", "only the registry"},
		{"public.ecr.aws", "only the registry"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want an error", tt.in, got)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T, want *Error", tt.in, err)
			}
			if !strings.Contains(e.Reason, tt.reason) {
				t.Errorf("Parse(%q) reason %q, want it to contain %q", tt.in, e.Reason, tt.reason)
			}
			if e.Raw != tt.in || got != (Info{}) {
				t.Errorf("Parse(%q): Raw %q, Info %#v", tt.in, e.Raw, got)
			}
		})
	}
}

func TestInfoString(t *testing.T) {
	tests := []struct{ in, name, str string }{
		{"nginx", "nginx", "nginx"},
		{"docker.io/library/nginx:1", "nginx", "nginx:1"},
		{"index.docker.io/bitnami/redis", "bitnami/redis", "bitnami/redis"},
		{"registry-1.docker.io/library/nginx", "registry-1.docker.io/library/nginx", "registry-1.docker.io/library/nginx"},
		{ecrHub + "/app:v1@" + sha, ecrHub + "/app", ecrHub + "/app:v1@" + sha},
		{"ghcr.io/org/app", "ghcr.io/org/app", "ghcr.io/org/app"},
		// Found by FuzzParse: "0.0/0" alone would name registry host 0.0.
		{"docker.io/0.0/0", "docker.io/0.0/0", "docker.io/0.0/0"},
		{"docker.io/localhost/app:1", "docker.io/localhost/app", "docker.io/localhost/app:1"},
		{"docker.io/library/my.app", "my.app", "my.app"},
	}
	for _, tt := range tests {
		i, err := Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if i.Name() != tt.name || i.String() != tt.str {
			t.Errorf("Parse(%q): Name %q String %q, want %q %q", tt.in, i.Name(), i.String(), tt.name, tt.str)
		}
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{
		DockerHub: "Docker Hub", PrivateECR: "private ECR", PublicECR: "ECR Public", Other: "another registry", 0: "unknown registry",
	} {
		if k.String() != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, k.String(), want)
		}
	}
}

func TestECRHost(t *testing.T) {
	tests := []struct{ region, want string }{
		{"eu-west-1", "123456789012.dkr.ecr.eu-west-1.amazonaws.com"},
		{"us-gov-west-1", "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com"},
		{"cn-north-1", "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"},
		{"eusc-de-east-1", "123456789012.dkr.ecr.eusc-de-east-1.amazonaws.eu"},
		{"us-iso-east-1", "123456789012.dkr.ecr.us-iso-east-1.c2s.ic.gov"},
		{"us-isob-east-1", "123456789012.dkr.ecr.us-isob-east-1.sc2s.sgov.gov"},
	}
	for _, tt := range tests {
		got := ECRHost("123456789012", tt.region)
		if got != tt.want {
			t.Errorf("ECRHost(%q) = %q, want %q", tt.region, got, tt.want)
		}
		// What ECRHost builds, Parse must read back.
		i, err := Parse(got + "/app")
		if err != nil || i.Kind != PrivateECR || i.Account != "123456789012" || i.Region != tt.region {
			t.Errorf("Parse(ECRHost(%q)) = %#v, %v", tt.region, i, err)
		}
	}
}

func TestHostHelpers(t *testing.T) {
	for host, want := range map[string]bool{
		"docker.io": true, "index.docker.io": true, "registry-1.docker.io": true, "Docker.IO": true,
		"hub.docker.com": false, "registry-2.docker.io": false, "": false,
	} {
		if IsDockerHubHost(host) != want {
			t.Errorf("IsDockerHubHost(%q) = %v", host, !want)
		}
	}
	if a, r, ok := ParseECRHost("123456789012.dkr.ecr-fips.us-east-1.amazonaws.com"); !ok || a != "123456789012" || r != "us-east-1" {
		t.Errorf("ParseECRHost FIPS = %q %q %v", a, r, ok)
	}
	if _, _, ok := ParseECRHost("public.ecr.aws"); ok {
		t.Error("ParseECRHost(public.ecr.aws) ok")
	}
}

var twelveDigits = regexp.MustCompile(`^[0-9]{12}$`)

var fixtureImage = regexp.MustCompile(`"?image"?\s*[=:]\s*"([^"$]*)"`)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"nginx", "nginx:1.27-alpine", "docker.io/library/nginx:latest", "index.docker.io/bitnami/redis",
		"registry-1.docker.io/nginx", "nginx@" + sha, "nginx:1@" + sha,
		ecrHub + "/my-app:v1", ecrHub + "/team/app@" + sha,
		"123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app",
		"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app",
		"123456789012.dkr-ecr.us-east-1.on.aws/app",
		"public.ecr.aws/nginx/nginx:1.27", "ghcr.io/org/app:main", "quay.io/a/b",
		"registry.example.com:5000/a/b", "localhost:5000/app", "[::1]:5000/app",
		"", " nginx", "https://ghcr.io/a", "MyApp", "nginx@sha256:abc", "nginx:", "a//b", "nginx#1",
		strings.Repeat("ab", 32), ecrHub,
	} {
		f.Add(s)
	}
	// Every image the fixtures name, once.
	files, _ := filepath.Glob("../../fixtures/*/*/*")
	seen := map[string]bool{}
	for _, name := range files {
		src, _ := os.ReadFile(name)
		for _, m := range fixtureImage.FindAllSubmatch(src, -1) {
			if s := string(m[1]); !seen[s] {
				seen[s] = true
				f.Add(s)
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		i, err := Parse(s)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Reason == "" || e.Raw != s || i != (Info{}) {
				t.Fatalf("Parse(%q): bad error %#v / info %#v", s, err, i)
			}
			return
		}
		if i.Raw != s || i.Host == "" || i.Repository == "" {
			t.Fatalf("Parse(%q) = %#v: empty field", s, i)
		}
		if i.Kind < DockerHub || i.Kind > Other {
			t.Fatalf("Parse(%q) kind %d", s, i.Kind)
		}
		if i.Kind == PrivateECR {
			if !twelveDigits.MatchString(i.Account) || i.Region == "" {
				t.Fatalf("Parse(%q) = %#v: ECR without account or region", s, i)
			}
		} else if i.Account != "" || i.Region != "" || i.FIPS || i.DualStack {
			t.Fatalf("Parse(%q) = %#v: ECR fields on %v", s, i, i.Kind)
		}
		if i.Kind == DockerHub && !IsDockerHubHost(i.Host) {
			t.Fatalf("Parse(%q) = %#v: Docker Hub with host %q", s, i, i.Host)
		}
		if i.Repository != strings.ToLower(i.Repository) {
			t.Fatalf("Parse(%q): upper-case repository %q", s, i.Repository)
		}
		if i.Digest != "" && !regexp.MustCompile(`^sha256:[a-f0-9]{64}$`).MatchString(i.Digest) {
			t.Fatalf("Parse(%q): digest %q", s, i.Digest)
		}
		if before, _, _ := strings.Cut(s, "@"); len(before) > maxLen {
			t.Fatalf("Parse(%q): longer than %d", s, maxLen)
		}
		// The short form must mean the same image.
		again, err := Parse(i.String())
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, i.String(), err)
		}
		again.Raw = s
		if again != i {
			t.Fatalf("Parse(%q) = %#v, but its String %q gives %#v", s, i, i.String(), again)
		}
	})
}

// Parse remembers its answers: asked again, it gives the same, for a
// valid reference and for an invalid one.
func TestParseRemembers(t *testing.T) {
	for _, s := range []string{"public.ecr.aws/docker/library/nginx:1.27", "Team/App:latest"} {
		info1, err1 := Parse(s)
		info2, err2 := Parse(s)
		if info1 != info2 || (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
			t.Errorf("Parse(%q): %+v, %v then %+v, %v", s, info1, err1, info2, err2)
		}
		if fresh, err := parse(s); fresh != info1 || (err == nil) != (err1 == nil) {
			t.Errorf("Parse(%q) remembered %+v, %v; parse gives %+v, %v", s, info1, err1, fresh, err)
		}
	}
}
