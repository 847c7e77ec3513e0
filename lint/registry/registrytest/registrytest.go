// Package registrytest runs in-process registries for tests of the
// registry check: go-containerregistry's registry on httptest, images and
// multi-platform indexes pushed into it, and a transport that sends the
// requests for any registry host (docker.io, an ECR host) to one of them,
// so that tests and fixtures name images as users do and touch no network.
package registrytest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	ggcr "github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Server is one in-process registry.
type Server struct {
	*httptest.Server
	// Host is "127.0.0.1:PORT".
	Host string

	user, password string
	delay          atomic.Int64 // nanoseconds every request waits
	// Requests counts the requests served, by "METHOD KIND" ("HEAD
	// manifests", "GET manifests", "GET blobs", "GET tags").
	mu       sync.Mutex
	requests map[string]int
}

// Option configures a Server.
type Option func(*Server)

// WithBasicAuth makes the registry refuse requests without these
// credentials (401 with a Basic challenge).
func WithBasicAuth(user, password string) Option {
	return func(s *Server) { s.user, s.password = user, password }
}

// NewServer starts a registry that stops when the test ends.
func NewServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{requests: map[string]int{}}
	for _, o := range opts {
		o(s)
	}
	reg := ggcr.New(ggcr.Logger(log.New(io.Discard, "", 0)))
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d := time.Duration(s.delay.Load()); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		s.count(r)
		if s.user != "" {
			u, p, ok := r.BasicAuth()
			if !ok || u != s.user || p != s.password {
				w.Header().Set("WWW-Authenticate", `Basic realm="registrytest"`)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`)
				return
			}
		}
		reg.ServeHTTP(w, r)
	}))
	s.Host = strings.TrimPrefix(s.URL, "http://")
	t.Cleanup(s.Close)
	return s
}

func (s *Server) count(r *http.Request) {
	kind := "other"
	for _, k := range []string{"manifests", "blobs", "tags"} {
		if strings.Contains(r.URL.Path, "/"+k+"/") {
			kind = k
		}
	}
	s.mu.Lock()
	s.requests[r.Method+" "+kind]++
	s.mu.Unlock()
}

// Requests returns how many requests of a kind ("GET manifests") were
// served, and resets nothing.
func (s *Server) Requests(kind string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[kind]
}

// ResetRequests forgets the counts.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = map[string]int{}
}

// SetDelay makes every later request wait d before it is answered.
func (s *Server) SetDelay(d time.Duration) { s.delay.Store(int64(d)) }

func (s *Server) options() []remote.Option {
	if s.user != "" {
		return []remote.Option{remote.WithAuth(&authn.Basic{Username: s.user, Password: s.password})}
	}
	return nil
}

// Image describes an image to push: its platform and, optionally, the
// compressed size its manifest declares for its layers.
type Image struct {
	Platform v1.Platform
	// Size, when above 0, replaces the declared size of the image's
	// layers (the blobs stay small): how a test has a 25 GiB image.
	Size int64
}

// Push pushes one image, or an index of several when more than one is
// given, to repo:tag on the server ("app:1.0"), and returns its digest.
// Repository paths are those of the image as the registry sees it.
func (s *Server) Push(t testing.TB, repoTag string, imgs ...Image) string {
	t.Helper()
	ref, err := name.ParseReference(s.Host + "/" + repoTag)
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) == 1 {
		return s.pushImage(t, ref, imgs[0])
	}
	idx := mutate.IndexMediaType(empty.Index, types.OCIImageIndex)
	for _, im := range imgs {
		d := s.pushImage(t, ref.Context().Digest("sha256:0000000000000000000000000000000000000000000000000000000000000000"), im)
		mt, size := s.manifestOf(t, ref.Context(), d)
		h, err := v1.NewHash(d)
		if err != nil {
			t.Fatal(err)
		}
		p := im.Platform
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{
			Add:        descriptorOnly{h, mt, size},
			Descriptor: v1.Descriptor{Digest: h, MediaType: mt, Size: size, Platform: &p},
		})
	}
	raw, err := idx.RawManifest()
	if err != nil {
		t.Fatal(err)
	}
	return s.put(t, ref, raw, types.OCIImageIndex)
}

// pushImage pushes a random image with the platform in its config; ref is
// a tag, or a digest reference whose digest is ignored (the image is
// pushed by its own digest).
func (s *Server) pushImage(t testing.TB, ref name.Reference, im Image) string {
	t.Helper()
	img, err := random.Image(64, 1)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Variant, cf.OSVersion = im.Platform.OS, im.Platform.Architecture, im.Platform.Variant, im.Platform.OSVersion
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	byDigest := func() name.Reference {
		d, err := img.Digest()
		if err != nil {
			t.Fatal(err)
		}
		return ref.Context().Digest(d.String())
	}
	target := ref
	if _, ok := ref.(name.Digest); ok {
		target = byDigest()
	}
	if err := remote.Write(target, img, s.options()...); err != nil {
		t.Fatal(err)
	}
	if im.Size <= 0 {
		d, _ := img.Digest()
		return d.String()
	}
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	m = m.DeepCopy()
	per := im.Size / int64(len(m.Layers))
	for i := range m.Layers {
		m.Layers[i].Size = per
	}
	m.Layers[0].Size += im.Size - per*int64(len(m.Layers))
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ref.(name.Digest); ok {
		h, _, _ := v1.SHA256(bytes.NewReader(raw))
		target = ref.Context().Digest(h.String())
	}
	return s.put(t, target, raw, m.MediaType)
}

func (s *Server) put(t testing.TB, ref name.Reference, raw []byte, mt types.MediaType) string {
	t.Helper()
	if err := remote.Put(ref, rawManifest{raw, mt}, s.options()...); err != nil {
		t.Fatal(err)
	}
	h, _, _ := v1.SHA256(bytes.NewReader(raw))
	return h.String()
}

func (s *Server) manifestOf(t testing.TB, repo name.Repository, digest string) (types.MediaType, int64) {
	t.Helper()
	d, err := remote.Head(repo.Digest(digest), s.options()...)
	if err != nil {
		t.Fatal(err)
	}
	return d.MediaType, d.Size
}

type rawManifest struct {
	raw []byte
	mt  types.MediaType
}

func (r rawManifest) RawManifest() ([]byte, error)        { return r.raw, nil }
func (r rawManifest) MediaType() (types.MediaType, error) { return r.mt, nil }

// descriptorOnly stands for a manifest already in the registry when an
// index is built over it.
type descriptorOnly struct {
	h    v1.Hash
	mt   types.MediaType
	size int64
}

func (d descriptorOnly) MediaType() (types.MediaType, error) { return d.mt, nil }
func (d descriptorOnly) Digest() (v1.Hash, error)            { return d.h, nil }
func (d descriptorOnly) Size() (int64, error)                { return d.size, nil }

// Router is a transport that sends the requests for each registry host
// to an in-process server, over plain HTTP, and refuses every other host:
// a test that routes nothing can reach nothing.
type Router struct {
	mu     sync.Mutex
	routes map[string]*Server
	// Refused counts requests for hosts without a route.
	Refused atomic.Int64
	refused []string
}

// RefusedURLs lists the URLs of the requests refused for want of a route.
func (r *Router) RefusedURLs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.refused...)
}

// NewRouter returns a Router with no routes.
func NewRouter() *Router { return &Router{routes: map[string]*Server{}} }

// Route sends host's requests ("docker.io", "ghcr.io",
// "111122223333.dkr.ecr.eu-west-1.amazonaws.com") to s. Docker Hub's
// names all go to the server routed for "docker.io".
func (r *Router) Route(host string, s *Server) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.routes[canonical(host)] = s
}

func canonical(host string) string {
	switch strings.ToLower(host) {
	case "docker.io", "index.docker.io", "registry-1.docker.io":
		return "docker.io"
	}
	return strings.ToLower(host)
}

func (r *Router) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	s := r.routes[canonical(req.URL.Host)]
	if s == nil && !strings.HasPrefix(req.URL.Host, "127.0.0.1:") {
		r.refused = append(r.refused, req.URL.String())
	}
	r.mu.Unlock()
	if s == nil {
		if strings.HasPrefix(req.URL.Host, "127.0.0.1:") {
			return http.DefaultTransport.RoundTrip(req)
		}
		r.Refused.Add(1)
		return nil, fmt.Errorf("registrytest: no route to %s", req.URL.Host)
	}
	out := req.Clone(req.Context())
	out.URL.Scheme, out.URL.Host = "http", s.Host
	out.Host = s.Host
	resp, err := http.DefaultTransport.RoundTrip(out)
	if resp != nil {
		// Keep the caller's view of the URL (pagination links, redirects).
		resp.Request = req
	}
	return resp, err
}

// Contents is a fixture's registry-images file, read by ReadContents:
//
//	# comment
//	REFERENCE PLATFORM[=SIZE] ...
//
// One line per tag the registries hold. A reference names its registry as
// users do ("nginx:1.27", "ghcr.io/acme/app:2",
// "111122223333.dkr.ecr.eu-west-1.amazonaws.com/app:1.0"); one platform
// ("linux/amd64") pushes a single image, several push an index; SIZE
// ("25GiB", "300MiB") is the compressed size its layers declare.
type Contents struct {
	Lines []ContentLine
}

// ContentLine is one line of a side file.
type ContentLine struct {
	Ref    string
	Images []Image
	Line   int
}

// ReadContents parses a side file.
func ReadContents(path string) (*Contents, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c := &Contents{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 2 {
			return nil, fmt.Errorf("%s:%d: want REFERENCE PLATFORM[=SIZE], and more platforms for an index", path, n)
		}
		cl := ContentLine{Ref: fields[0], Line: n}
		for _, f := range fields[1:] {
			im, err := parseImage(f)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", path, n, err)
			}
			cl.Images = append(cl.Images, im)
		}
		c.Lines = append(c.Lines, cl)
	}
	return c, sc.Err()
}

func parseImage(s string) (Image, error) {
	plat, size, hasSize := strings.Cut(s, "=")
	p, err := v1.ParsePlatform(plat)
	if err != nil || p.OS == "" || p.Architecture == "" {
		return Image{}, fmt.Errorf("bad platform %q (want OS/ARCH[/VARIANT])", plat)
	}
	im := Image{Platform: *p}
	if hasSize {
		n, err := parseSize(size)
		if err != nil {
			return Image{}, err
		}
		im.Size = n
	}
	return im, nil
}

func parseSize(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   float64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(num, 64)
			if err != nil || f <= 0 {
				break
			}
			return int64(f * u.mult), nil
		}
	}
	return 0, fmt.Errorf("bad size %q (want a number and GiB, MiB, KiB or B)", s)
}

// Serve starts one registry per host that the contents name, pushes the
// images, and routes the hosts in a new Router.
func (c *Contents) Serve(t testing.TB) *Router {
	t.Helper()
	r := NewRouter()
	servers := map[string]*Server{}
	for _, l := range c.Lines {
		ref, err := name.ParseReference(l.Ref)
		if err != nil {
			t.Fatalf("line %d: %v", l.Line, err)
		}
		host := canonical(ref.Context().RegistryStr())
		s := servers[host]
		if s == nil {
			s = NewServer(t)
			servers[host] = s
			r.Route(host, s)
		}
		tag := ref.Identifier()
		if _, ok := ref.(name.Digest); ok {
			t.Fatalf("line %d: name images by tag; a test pins digests that Push returns", l.Line)
		}
		s.Push(t, ref.Context().RepositoryStr()+":"+tag, l.Images...)
	}
	return r
}
