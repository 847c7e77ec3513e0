package registry_test

import (
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/canpull/canpull/lint/model"
	"github.com/canpull/canpull/lint/registry"
	"github.com/canpull/canpull/lint/registry/registrytest"
)

var (
	linuxAMD64   = v1.Platform{OS: "linux", Architecture: "amd64"}
	linuxARM64   = v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}
	windowsAMD64 = v1.Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.20348.2227"}

	taskAMD64 = model.Platform{OS: "linux", Architecture: "amd64"}
	taskARM64 = model.Platform{OS: "linux", Architecture: "arm64"}
)

// checker returns a Checker that asks only in-process registries, with no
// credentials and no cache unless the options say.
func checker(t *testing.T, opts registry.Options) *registry.Checker {
	t.Helper()
	if opts.Keychain == nil {
		opts.Keychain = registry.NewKeychain("", nil)
	}
	if opts.Transport == nil {
		opts.Transport = registrytest.NewRouter()
	}
	c, err := registry.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func check1(t *testing.T, c *registry.Checker, image string, p model.Platform) model.ImageCheck {
	t.Helper()
	got := c.CheckImages(context.Background(), []model.ImageQuery{{Image: image, Platform: p}})
	if len(got) != 1 {
		t.Fatalf("%d answers for one query", len(got))
	}
	if got[0].Query.Image != image {
		t.Errorf("answer for %q, asked %q", got[0].Query.Image, image)
	}
	return got[0]
}

func TestTagPresentMissingRepositoryMissing(t *testing.T) {
	s := registrytest.NewServer(t)
	digest := s.Push(t, "team/app:1.2.3", registrytest.Image{Platform: linuxAMD64})
	s.Push(t, "team/app:1.2.4", registrytest.Image{Platform: linuxAMD64})
	s.Push(t, "team/app:2.0.0", registrytest.Image{Platform: linuxAMD64})
	c := checker(t, registry.Options{Platforms: true, Sizes: true})

	t.Run("present", func(t *testing.T) {
		got := check1(t, c, s.Host+"/team/app:1.2.3", taskAMD64)
		if got.Outcome != model.ImageFound || got.Digest != digest {
			t.Fatalf("got %+v, want found with digest %s", got, digest)
		}
		if has, known := got.HasPlatform(); !has || !known {
			t.Errorf("platforms %v: want linux/amd64 found", got.Platforms)
		}
		if got.CompressedSize <= 0 {
			t.Errorf("compressed size %d, want the layer's", got.CompressedSize)
		}
		if !got.Anonymous || got.Host != s.Host {
			t.Errorf("host %q anonymous %v", got.Host, got.Anonymous)
		}
	})
	t.Run("tag missing", func(t *testing.T) {
		got := check1(t, c, s.Host+"/team/app:1.2.5", taskAMD64)
		if got.Outcome != model.ImageNotFound || got.Missing != model.MissingTag {
			t.Fatalf("got %+v, want a missing tag", got)
		}
		if got.Words != "MANIFEST_UNKNOWN: Unknown manifest" {
			t.Errorf("words %q: want the registry's own", got.Words)
		}
		if want := []string{"1.2.3", "1.2.4"}; !slices.Equal(got.ClosestTags, want) {
			t.Errorf("closest tags %v, want %v", got.ClosestTags, want)
		}
	})
	t.Run("repository missing", func(t *testing.T) {
		got := check1(t, c, s.Host+"/team/nope:1", taskAMD64)
		if got.Outcome != model.ImageNotFound || got.Missing != model.MissingRepository || !strings.Contains(got.Words, "NAME_UNKNOWN") {
			t.Fatalf("got %+v, want a missing repository in the registry's words", got)
		}
	})
}

func TestPlatforms(t *testing.T) {
	s := registrytest.NewServer(t)
	s.Push(t, "amd64-only:1", registrytest.Image{Platform: linuxAMD64}, registrytest.Image{Platform: v1.Platform{OS: "unknown", Architecture: "unknown"}})
	s.Push(t, "multi:1", registrytest.Image{Platform: linuxAMD64, Size: 100 << 20}, registrytest.Image{Platform: linuxARM64, Size: 90 << 20})
	s.Push(t, "windows:1", registrytest.Image{Platform: windowsAMD64})
	c := checker(t, registry.Options{Platforms: true, Sizes: true})

	t.Run("amd64-only index on an ARM64 task", func(t *testing.T) {
		got := check1(t, c, s.Host+"/amd64-only:1", taskARM64)
		has, known := got.HasPlatform()
		if got.Outcome != model.ImageFound || has || !known {
			t.Fatalf("got %+v: want found, without linux/arm64, known", got)
		}
		if len(got.Platforms) != 1 || got.Platforms[0] != taskAMD64 {
			t.Errorf("platforms %v: want linux/amd64 alone (the attestation left out)", got.Platforms)
		}
		if got.CompressedSize != -1 {
			t.Errorf("size %d for a platform the index lacks", got.CompressedSize)
		}
	})
	t.Run("multi-platform index, size per platform", func(t *testing.T) {
		got := c.CheckImages(context.Background(), []model.ImageQuery{
			{Image: s.Host + "/multi:1", Platform: taskAMD64},
			{Image: s.Host + "/multi:1", Platform: taskARM64},
		})
		if got[0].CompressedSize != 100<<20 || got[1].CompressedSize != 90<<20 {
			t.Errorf("sizes %d, %d: want each platform's", got[0].CompressedSize, got[1].CompressedSize)
		}
		for _, g := range got {
			if has, known := g.HasPlatform(); !has || !known {
				t.Errorf("%v: platform %v not found in %v", g.Query.Image, g.Query.Platform, g.Platforms)
			}
		}
	})
	t.Run("Windows image on a Linux task", func(t *testing.T) {
		got := check1(t, c, s.Host+"/windows:1", taskAMD64)
		has, known := got.HasPlatform()
		if has || !known || len(got.Platforms) != 1 || got.Platforms[0].OS != "windows" {
			t.Fatalf("got %+v: want the single windows/amd64 manifest, known", got)
		}
	})
}

func TestDigestPin(t *testing.T) {
	s := registrytest.NewServer(t)
	d := s.Push(t, "app:1", registrytest.Image{Platform: linuxAMD64})
	c := checker(t, registry.Options{})

	if got := check1(t, c, s.Host+"/app@"+d, model.Platform{}); got.Outcome != model.ImageFound || got.Digest != d {
		t.Errorf("pinned digest: %+v", got)
	}
	if got := check1(t, c, s.Host+"/app:1@"+d, model.Platform{}); got.Outcome != model.ImageFound {
		t.Errorf("tag and digest: %+v", got)
	}
	missing := "sha256:" + strings.Repeat("ab", 32)
	got := check1(t, c, s.Host+"/app@"+missing, model.Platform{})
	if got.Outcome != model.ImageNotFound || got.Missing != model.MissingDigest || got.ClosestTags != nil {
		t.Errorf("missing digest: %+v", got)
	}
}

// TestHeadOnly holds the checker to HEAD when no rule needs more: Docker
// Hub counts manifest GETs, not HEADs, against its pull limit.
func TestHeadOnly(t *testing.T) {
	s := registrytest.NewServer(t)
	s.Push(t, "app:1", registrytest.Image{Platform: linuxAMD64}, registrytest.Image{Platform: linuxARM64})
	s.ResetRequests()
	c := checker(t, registry.Options{})
	qs := []model.ImageQuery{{Image: s.Host + "/app:1", Platform: taskAMD64}, {Image: s.Host + "/app:1", Platform: taskARM64}, {Image: s.Host + "/app:1"}}
	for _, got := range c.CheckImages(context.Background(), qs) {
		if got.Outcome != model.ImageFound || got.Platforms != nil {
			t.Errorf("%+v: want found, platforms not read", got)
		}
	}
	if n := s.Requests("HEAD manifests"); n != 1 {
		t.Errorf("%d HEAD requests for one reference asked three times, want 1", n)
	}
	if n := s.Requests("GET manifests"); n != 0 {
		t.Errorf("%d manifest GETs, want none", n)
	}

	// With platforms: one GET of the index; with sizes too, one more for
	// each platform's manifest.
	s.ResetRequests()
	c = checker(t, registry.Options{Platforms: true, Sizes: true})
	c.CheckImages(context.Background(), qs)
	if h, g := s.Requests("HEAD manifests"), s.Requests("GET manifests"); h != 1 || g != 3 {
		t.Errorf("%d HEAD, %d GET: want 1 HEAD, 1 GET of the index and 2 of its manifests", h, g)
	}
}

func TestAuthRequired(t *testing.T) {
	s := registrytest.NewServer(t, registrytest.WithBasicAuth("ci", "s3cret"))
	s.Push(t, "private/app:1", registrytest.Image{Platform: linuxAMD64})
	image := s.Host + "/private/app:1"

	t.Run("without credentials", func(t *testing.T) {
		c := checker(t, registry.Options{Keychain: registry.NewKeychain(filepath.Join(t.TempDir(), "none.json"), nil)})
		got := check1(t, c, image, taskAMD64)
		if got.Outcome != model.ImageUnverified || !strings.Contains(got.Words, "401 Unauthorized from "+s.Host) || !got.Anonymous {
			t.Errorf("got %+v: want unverified, 401 from the host", got)
		}
	})
	t.Run("with credentials in DOCKER_CONFIG", func(t *testing.T) {
		dir := t.TempDir()
		t.Setenv("DOCKER_CONFIG", dir)
		auth := base64.StdEncoding.EncodeToString([]byte("ci:s3cret"))
		writeFile(t, filepath.Join(dir, "config.json"), `{"auths": {"`+s.Host+`": {"auth": "`+auth+`"}}}`)
		c := checker(t, registry.Options{Keychain: registry.DefaultKeychain(), Platforms: true})
		got := check1(t, c, image, taskAMD64)
		if got.Outcome != model.ImageFound || got.Anonymous {
			t.Errorf("got %+v: want found with credentials", got)
		}
		if has, known := got.HasPlatform(); !has || !known {
			t.Errorf("platforms %v", got.Platforms)
		}
	})
	t.Run("credential helper is not run", func(t *testing.T) {
		dir := t.TempDir()
		marker := filepath.Join(dir, "ran")
		// A helper that would leave a mark if anything ran it.
		helper := filepath.Join(dir, "docker-credential-mark")
		writeFile(t, helper, "#!/bin/sh\ntouch "+marker+"\n")
		if err := os.Chmod(helper, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
		writeFile(t, filepath.Join(dir, "config.json"), `{"auths": {"`+s.Host+`": {}}, "credsStore": "mark", "credHelpers": {"other.example": "mark"}}`)
		c := checker(t, registry.Options{Keychain: registry.NewKeychain(filepath.Join(dir, "config.json"), nil)})
		got := check1(t, c, image, taskAMD64)
		if got.Outcome != model.ImageUnverified || !strings.Contains(got.Words, "docker-credential-mark, which canpull does not run") {
			t.Errorf("got %+v: want a note that the helper was not run", got)
		}
		if _, err := os.Stat(marker); err == nil {
			t.Fatal("the credential helper ran")
		}
	})
}

// TestTimeout: a registry that does not answer within the timeout is a
// note, and the other images of that registry do not each wait again.
func TestTimeout(t *testing.T) {
	s := registrytest.NewServer(t)
	s.Push(t, "app:1", registrytest.Image{Platform: linuxAMD64})
	s.Push(t, "app:2", registrytest.Image{Platform: linuxAMD64})
	s.SetDelay(2 * time.Second)
	c := checker(t, registry.Options{Timeout: 100 * time.Millisecond, Concurrency: 1})
	start := time.Now()
	got := c.CheckImages(context.Background(), []model.ImageQuery{{Image: s.Host + "/app:1"}, {Image: s.Host + "/app:2"}})
	for _, g := range got {
		if g.Outcome != model.ImageUnverified || !strings.Contains(g.Words, "no answer from "+s.Host+" within 100ms") {
			t.Errorf("got %+v: want unverified, no answer", g)
		}
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("two images of a silent registry took %v", d)
	}
}

func TestUnreachable(t *testing.T) {
	s := registrytest.NewServer(t)
	host := s.Host
	s.Close() // nothing listens there now
	c := checker(t, registry.Options{Timeout: time.Second})
	got := check1(t, c, host+"/app:1", model.Platform{})
	if got.Outcome != model.ImageUnverified || !strings.Contains(got.Words, "cannot reach "+host) {
		t.Errorf("got %+v: want unverified, cannot reach", got)
	}
}

// TestPlainHTTPRefused: credentials never travel in plain HTTP to another
// machine, though go-containerregistry would use HTTP for private-range
// addresses. The guard refuses before any connection is attempted.
func TestPlainHTTPRefused(t *testing.T) {
	router := registrytest.NewRouter()
	c := checker(t, registry.Options{Transport: router})
	got := check1(t, c, "10.1.2.3:5000/app:1", model.Platform{})
	if got.Outcome != model.ImageUnverified || !strings.Contains(got.Words, "plain HTTP") {
		t.Errorf("got %+v", got)
	}
	// go-containerregistry tries HTTPS first (the router refuses it: no
	// route), then plain HTTP, which the guard stops.
	for _, u := range router.RefusedURLs() {
		if strings.HasPrefix(u, "http://") {
			t.Errorf("a plain HTTP request went past the guard: %s", u)
		}
	}
}

// TestWorkerPanic: a panic while resolving one image (a bug, here in the
// transport) does not end the process from the worker's goroutine: the
// other images are still resolved, and the panic is raised again in the
// caller's goroutine, where the driver recovers it as an internal error.
func TestWorkerPanic(t *testing.T) {
	s := registrytest.NewServer(t)
	s.Push(t, "app:1", registrytest.Image{Platform: linuxAMD64})
	router := registrytest.NewRouter()
	router.Route("ok.example", s)
	var asked atomic.Int32
	transport := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.URL.Hostname() == "boom.example" {
			panic("transport boom")
		}
		asked.Add(1)
		return router.RoundTrip(req)
	})
	c := checker(t, registry.Options{Transport: transport, Concurrency: 2})
	var p any
	func() {
		defer func() { p = recover() }()
		c.CheckImages(context.Background(), []model.ImageQuery{{Image: "boom.example/app:1"}, {Image: "ok.example/app:1"}})
	}()
	err, ok := p.(error)
	if !ok || !strings.Contains(err.Error(), "transport boom") || !strings.Contains(err.Error(), "registry check's worker") {
		t.Fatalf("recovered %v, want the worker's panic with its stack", p)
	}
	if asked.Load() == 0 {
		t.Error("the other image was not asked about")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// TestRouting: images named with their real registry hosts reach the
// in-process registries a Router sends them to, and nothing else.
func TestRouting(t *testing.T) {
	hub, ecr := registrytest.NewServer(t), registrytest.NewServer(t)
	hub.Push(t, "library/nginx:1.27", registrytest.Image{Platform: linuxAMD64}, registrytest.Image{Platform: linuxARM64})
	ecr.Push(t, "app:1", registrytest.Image{Platform: linuxARM64})
	router := registrytest.NewRouter()
	router.Route("docker.io", hub)
	router.Route("111122223333.dkr.ecr.eu-west-1.amazonaws.com", ecr)
	c := checker(t, registry.Options{Transport: router, Platforms: true})
	got := c.CheckImages(context.Background(), []model.ImageQuery{
		{Image: "nginx:1.27", Platform: taskARM64},
		{Image: "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1", Platform: taskAMD64},
		{Image: "quay.io/acme/app:1", Platform: taskAMD64},
	})
	if got[0].Outcome != model.ImageFound || got[0].Host != "docker.io" {
		t.Errorf("nginx: %+v", got[0])
	}
	if has, known := got[1].HasPlatform(); got[1].Outcome != model.ImageFound || has || !known {
		t.Errorf("ECR arm64-only image on amd64: %+v", got[1])
	}
	if got[2].Outcome != model.ImageUnverified || router.Refused.Load() == 0 {
		t.Errorf("an unrouted host: %+v", got[2])
	}
}

func TestCache(t *testing.T) {
	s := registrytest.NewServer(t)
	d := s.Push(t, "app:1", registrytest.Image{Platform: linuxAMD64}, registrytest.Image{Platform: linuxARM64})
	dir := t.TempDir()
	opts := registry.Options{Platforms: true, Sizes: true, CacheDir: dir}
	qs := []model.ImageQuery{{Image: s.Host + "/app:1", Platform: taskARM64}, {Image: s.Host + "/app@" + d, Platform: taskAMD64}}

	first := checker(t, opts).CheckImages(context.Background(), qs)
	s.ResetRequests()
	second := checker(t, opts).CheckImages(context.Background(), qs)
	for i := range first {
		if first[i].Outcome != model.ImageFound || first[i].CompressedSize != second[i].CompressedSize || !slices.Equal(first[i].Platforms, second[i].Platforms) {
			t.Errorf("cached answer differs: %+v / %+v", first[i], second[i])
		}
	}
	if n := s.Requests("HEAD manifests") + s.Requests("GET manifests"); n != 0 {
		t.Errorf("%d manifest requests with a fresh cache, want none", n)
	}

	// After the tag's TTL: one HEAD for the tag, and the digest's content
	// still comes from the cache.
	s.ResetRequests()
	opts.TagTTL = time.Nanosecond
	checker(t, opts).CheckImages(context.Background(), qs)
	if h, g := s.Requests("HEAD manifests"), s.Requests("GET manifests"); h != 1 || g != 0 {
		t.Errorf("after the TTL: %d HEAD, %d GET; want 1 HEAD and no GET", h, g)
	}

	// Failures are not cached: a tag pushed after a miss is found.
	miss := checker(t, opts).CheckImages(context.Background(), []model.ImageQuery{{Image: s.Host + "/app:2"}})
	s.Push(t, "app:2", registrytest.Image{Platform: linuxAMD64})
	hit := checker(t, opts).CheckImages(context.Background(), []model.ImageQuery{{Image: s.Host + "/app:2"}})
	if miss[0].Outcome != model.ImageNotFound || hit[0].Outcome != model.ImageFound {
		t.Errorf("miss %v then %v", miss[0].Outcome, hit[0].Outcome)
	}

	// A corrupted blob in the cache is not believed.
	blobs, _ := filepath.Glob(filepath.Join(dir, "blobs", "sha256", "*"))
	for _, b := range blobs {
		if !strings.HasSuffix(b, ".type") {
			writeFile(t, b, `{"manifests": []}`)
		}
	}
	again := checker(t, registry.Options{Platforms: true, Sizes: true, CacheDir: dir}).CheckImages(context.Background(), qs)
	if len(again[0].Platforms) != 2 {
		t.Errorf("platforms from a corrupted cache: %v", again[0].Platforms)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestHostileRegistry: a registry is named by the configuration, which a
// pull request may have written. What it says reaches reports without
// control characters, only tags that are tags are suggested, and no
// answer is read past a bound.
func TestHostileRegistry(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/v2/":
			w.WriteHeader(http.StatusOK)
		case strings.Contains(r.URL.Path, "/manifests/"):
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			if r.Method == http.MethodGet {
				_, _ = io.WriteString(w, `{"errors":[{"code":"MANIFEST_UNKNOWN","message":"gone\u001b[31m red\nline"}]}`)
			}
		case strings.HasPrefix(r.URL.Path, "/v2/huge/tags/"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"name":"huge","tags":["`)
			chunk := strings.Repeat("a", 1<<20)
			for range 20 {
				if _, err := io.WriteString(w, chunk); err != nil {
					return
				}
			}
			_, _ = io.WriteString(w, `"]}`)
		case strings.Contains(r.URL.Path, "/tags/"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"name":"app","tags":["1.0.0","1.0.1\u001b[2J","1.0.2","../1.0"]}`)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")
	c := checker(t, registry.Options{})

	got := check1(t, c, host+"/app:1.0.3", model.Platform{})
	if got.Outcome != model.ImageNotFound || strings.ContainsAny(got.Words, "\x1b\n") || !strings.Contains(got.Words, "MANIFEST_UNKNOWN: gone") {
		t.Errorf("words %q", got.Words)
	}
	if want := []string{"1.0.0", "1.0.2"}; !slices.Equal(got.ClosestTags, want) {
		t.Errorf("closest tags %q, want %q", got.ClosestTags, want)
	}

	// go-containerregistry does not close a tag list it could not decode:
	// the request's timeout releases the connection.
	c = checker(t, registry.Options{Timeout: 500 * time.Millisecond})
	got = check1(t, c, host+"/huge:1", model.Platform{})
	if got.Outcome != model.ImageNotFound || got.ClosestTags != nil {
		t.Errorf("a 20 MiB tag list: %+v", got)
	}
}
