package registry

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/canpull/canpull/lint/model"
)

// Bounds on what canpull reads from a registry.
const (
	tagPageSize  = 1000 // ECR refuses more
	maxTagPages  = 5
	maxConfig    = 4 << 20
	closestCount = 3
	maxWords     = 300
)

// resolve answers every platform asked about one reference: one HEAD (or
// none, from the cache), then GETs only for what the options need.
func (c *Checker) resolve(ctx context.Context, raw string, platforms []model.Platform) []model.ImageCheck {
	answers := make([]model.ImageCheck, len(platforms))
	ref, err := name.ParseReference(raw)
	if err != nil {
		for i := range answers {
			answers[i] = model.ImageCheck{Outcome: model.ImageUnverified, Words: err.Error(), CompressedSize: -1}
		}
		return answers
	}
	host := hostOf(ref)
	base := model.ImageCheck{Host: host, CompressedSize: -1, Anonymous: c.opts.Keychain.Anonymous(ref.Context().RegistryStr())}
	all := func(b model.ImageCheck) []model.ImageCheck {
		for i := range answers {
			answers[i] = b
		}
		return answers
	}
	if why := c.hostDown(host); why != "" {
		base.Outcome, base.Words = model.ImageUnverified, why
		return all(base)
	}

	desc, err := c.head(ctx, ref)
	if err != nil {
		return all(c.failed(ctx, ref, err, base))
	}
	base.Outcome = model.ImageFound
	base.Digest = desc.Digest.String()

	wantAny := false
	for _, p := range platforms {
		wantAny = wantAny || !p.IsZero()
	}
	if !wantAny || !c.opts.Platforms && !c.opts.Sizes {
		return all(base)
	}
	raw2, err := c.manifest(ctx, ref, desc.Digest)
	if err != nil {
		// The image exists; what it holds stays unknown.
		return all(base)
	}
	switch {
	case isIndex(desc.MediaType, raw2):
		idx, err := v1.ParseIndexManifest(bytes.NewReader(raw2))
		if err != nil {
			return all(base)
		}
		base.Platforms, base.PlatformsComplete = indexPlatforms(idx)
		for i, want := range platforms {
			answers[i] = base
			if want.IsZero() || !c.opts.Sizes {
				continue
			}
			if child := pickManifest(idx, want); child != nil {
				answers[i].CompressedSize = c.childSize(ctx, ref, child.Digest)
			}
		}
		return answers
	default:
		m, err := v1.ParseManifest(bytes.NewReader(raw2))
		if err != nil {
			return all(base)
		}
		base.CompressedSize = layersSize(m)
		if c.opts.Platforms {
			if p, ok := c.configPlatform(ctx, ref, m.Config.Digest); ok {
				base.Platforms, base.PlatformsComplete = []model.Platform{p}, true
			}
		}
		return all(base)
	}
}

// head resolves a reference to its manifest's descriptor: from the cache
// (a digest seen before, a tag seen within the TTL), else with a HEAD
// request, else with a GET where the registry does not serve HEAD well.
func (c *Checker) head(ctx context.Context, ref name.Reference) (*v1.Descriptor, error) {
	if d, ok := c.cache.descriptor(ref); ok {
		return d, nil
	}
	d, err := c.puller.Head(ctx, ref)
	if err != nil && headUnsupported(err) {
		var gd *remoteDescriptor
		gd, err = c.get(ctx, ref)
		if err == nil {
			d = &gd.desc
		}
	}
	if err != nil {
		return nil, err
	}
	c.cache.putTag(ref, d)
	return d, nil
}

// headUnsupported reports whether a HEAD failed in a way a GET may not:
// a status other than the ones that answer the question, or a response
// without the headers HEAD relies on.
func headUnsupported(err error) bool {
	var te *transport.Error
	if errors.As(err, &te) {
		switch te.StatusCode {
		case http.StatusNotFound, http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests:
			return false
		}
		return te.StatusCode == http.StatusMethodNotAllowed || te.StatusCode == http.StatusNotImplemented
	}
	return strings.Contains(err.Error(), "response did not include")
}

type remoteDescriptor struct {
	desc     v1.Descriptor
	manifest []byte
}

// get fetches a manifest and caches it by digest.
func (c *Checker) get(ctx context.Context, ref name.Reference) (*remoteDescriptor, error) {
	d, err := c.puller.Get(ctx, ref)
	if err != nil {
		return nil, err
	}
	c.cache.putBlob(d.Digest, d.MediaType, d.Manifest)
	return &remoteDescriptor{desc: d.Descriptor, manifest: d.Manifest}, nil
}

// manifest returns the bytes of the manifest or index with a digest, from
// the cache or with one GET.
func (c *Checker) manifest(ctx context.Context, ref name.Reference, h v1.Hash) ([]byte, error) {
	if b, ok := c.cache.blob(h); ok {
		return b, nil
	}
	d, err := c.get(ctx, ref.Context().Digest(h.String()))
	if err != nil {
		return nil, err
	}
	return d.manifest, nil
}

func isIndex(mt types.MediaType, raw []byte) bool {
	if mt.IsIndex() {
		return true
	}
	if mt.IsImage() {
		return false
	}
	// An OCI manifest may leave out its media type: an index has
	// "manifests", an image "layers".
	var probe struct {
		Manifests []any `json:"manifests"`
	}
	return jsonDecode(raw, &probe) == nil && probe.Manifests != nil
}

// indexPlatforms lists the platforms of an index's manifests. Attestation
// manifests (platform unknown/unknown) are not images and are left out;
// a manifest without a platform, or a nested index, makes the list
// incomplete.
func indexPlatforms(idx *v1.IndexManifest) ([]model.Platform, bool) {
	out := []model.Platform{}
	complete := true
	seen := map[model.Platform]bool{}
	for _, m := range idx.Manifests {
		if m.MediaType.IsIndex() || m.Platform == nil || m.Platform.OS == "" || m.Platform.Architecture == "" {
			complete = false
			continue
		}
		if m.Platform.OS == "unknown" && m.Platform.Architecture == "unknown" {
			continue
		}
		p := model.Platform{OS: m.Platform.OS, Architecture: m.Platform.Architecture, Variant: m.Platform.Variant}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out, complete
}

// pickManifest is the index's first manifest for a platform.
func pickManifest(idx *v1.IndexManifest, want model.Platform) *v1.Descriptor {
	for i := range idx.Manifests {
		m := &idx.Manifests[i]
		if m.Platform == nil || m.MediaType.IsIndex() {
			continue
		}
		p := model.Platform{OS: m.Platform.OS, Architecture: m.Platform.Architecture}
		if p.Runs(want) {
			return m
		}
	}
	return nil
}

// childSize is the compressed size of the layers of an index's manifest;
// -1 when it cannot be read.
func (c *Checker) childSize(ctx context.Context, ref name.Reference, h v1.Hash) int64 {
	raw, err := c.manifest(ctx, ref, h)
	if err != nil {
		return -1
	}
	m, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return -1
	}
	return layersSize(m)
}

func layersSize(m *v1.Manifest) int64 {
	var n int64
	for _, l := range m.Layers {
		if l.Size < 0 {
			return -1
		}
		n += l.Size
	}
	return n
}

// configPlatform reads a single manifest's platform from its config blob.
// Blob requests do not count against Docker Hub's pull limit.
func (c *Checker) configPlatform(ctx context.Context, ref name.Reference, h v1.Hash) (model.Platform, bool) {
	raw, ok := c.cache.blob(h)
	if !ok {
		l, err := c.puller.Layer(ctx, ref.Context().Digest(h.String()))
		if err != nil {
			return model.Platform{}, false
		}
		rc, err := l.Compressed()
		if err != nil {
			return model.Platform{}, false
		}
		raw, err = io.ReadAll(io.LimitReader(rc, maxConfig+1))
		// Closing checks the digest of what was read.
		if cerr := rc.Close(); err == nil {
			err = cerr
		}
		if err != nil || len(raw) > maxConfig {
			return model.Platform{}, false
		}
		c.cache.putBlob(h, "config", raw)
	}
	cf, err := v1.ParseConfigFile(bytes.NewReader(raw))
	if err != nil || cf.OS == "" || cf.Architecture == "" {
		return model.Platform{}, false
	}
	return model.Platform{OS: cf.OS, Architecture: cf.Architecture, Variant: cf.Variant}, true
}

// failed turns a failed HEAD into an answer: what the registry says does
// not exist, or why canpull could not tell.
func (c *Checker) failed(ctx context.Context, ref name.Reference, err error, base model.ImageCheck) model.ImageCheck {
	var te *transport.Error
	if !errors.As(err, &te) || te.StatusCode != http.StatusNotFound {
		base.Outcome, base.Words = model.ImageUnverified, c.whyUnverified(base.Host, err)
		return base
	}
	// HEAD responses have no body: ask again with GET for the registry's
	// own words. A registry that answers the GET had the image after all.
	gd, gerr := c.get(ctx, ref)
	if gerr == nil {
		base.Outcome, base.Digest = model.ImageFound, gd.desc.Digest.String()
		return base
	}
	if !errors.As(gerr, &te) || te.StatusCode != http.StatusNotFound {
		base.Outcome, base.Words = model.ImageUnverified, c.whyUnverified(base.Host, gerr)
		return base
	}
	base.Outcome, base.Words = model.ImageNotFound, registryWords(te)
	switch {
	case hasCode(te, transport.NameUnknownErrorCode):
		base.Missing = model.MissingRepository
		return base
	case isDigest(ref):
		base.Missing = model.MissingDigest
		return base
	}
	base.Missing = model.MissingTag
	tags, lerr := c.listTags(ctx, ref.Context())
	switch {
	case lerr != nil:
		if errors.As(lerr, &te) && te.StatusCode == http.StatusNotFound {
			base.Missing = model.MissingRepository
		}
	case contains(tags, ref.Identifier()):
		// The list has the tag the manifest endpoint denies: the
		// registry contradicts itself (a push in progress?).
		base.Outcome, base.Words, base.Missing = model.ImageUnverified,
			fmt.Sprintf("%s answers 404 for tag %s but lists it among the repository's tags", base.Host, ref.Identifier()), ""
	default:
		base.ClosestTags = closest(ref.Identifier(), tags, closestCount)
	}
	return base
}

func isDigest(ref name.Reference) bool {
	_, ok := ref.(name.Digest)
	return ok
}

func hasCode(te *transport.Error, code transport.ErrorCode) bool {
	for _, d := range te.Errors {
		if d.Code == code {
			return true
		}
	}
	return false
}

// registryWords renders a registry's error the way it wrote it:
// "MANIFEST_UNKNOWN: manifest unknown".
func registryWords(te *transport.Error) string {
	var parts []string
	for _, d := range te.Errors {
		s := string(d.Code)
		if d.Message != "" {
			s += ": " + d.Message
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return fmt.Sprintf("%d %s", te.StatusCode, http.StatusText(te.StatusCode))
	}
	return printable(clip(strings.Join(parts, "; "), maxWords))
}

// listTags reads up to maxTagPages pages of a repository's tags.
func (c *Checker) listTags(ctx context.Context, repo name.Repository) ([]string, error) {
	l, err := c.puller.Lister(ctx, repo)
	if err != nil {
		return nil, err
	}
	var tags []string
	for page := 0; page < maxTagPages && l.HasNext(); page++ {
		ts, err := l.Next(ctx)
		if err != nil {
			if len(tags) > 0 {
				break
			}
			return nil, err
		}
		tags = append(tags, ts.Tags...)
	}
	return tags, nil
}

// tagRE is the grammar of a tag (OCI distribution).
var tagRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$`)

// closest returns up to n tags within a small edit distance of tag,
// closest first.
func closest(tag string, tags []string, n int) []string {
	limit := max(2, len(tag)/3)
	type cand struct {
		tag  string
		dist int
	}
	var cs []cand
	for _, t := range tags {
		if !tagRE.MatchString(t) {
			continue // not a tag: a registry may list anything
		}
		if d := levenshtein.Distance(tag, t, nil); d <= limit {
			cs = append(cs, cand{t, d})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].dist != cs[j].dist {
			return cs[i].dist < cs[j].dist
		}
		return cs[i].tag < cs[j].tag
	})
	var out []string
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.tag)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
