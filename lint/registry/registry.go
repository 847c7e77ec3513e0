// Package registry is canpull's opt-in registry check (--check-images): it
// asks each image's registry, with go-containerregistry, whether the tag or
// digest exists, which platforms it holds and how large its layers are.
//
// It is the only package of canpull that opens the network, and only the
// command constructs it. It is polite: HEAD first (Docker Hub does not
// count HEAD requests against its pull limit), a GET only for what a rule
// needs, one resolution per unique reference, at most Concurrency requests
// at once, a timeout on every request, and an on-disk cache. It never runs
// a program: Docker credential helpers and AWS credential_process are
// ignored with a note.
package registry

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/canpull/canpull/lint/model"
)

// Defaults.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultConcurrency = 8
	DefaultTagTTL      = 10 * time.Minute
)

// Options configure a Checker. The zero value checks existence only, with
// the defaults above and no disk cache.
type Options struct {
	// Timeout bounds each HTTP request (DefaultTimeout when 0).
	Timeout time.Duration
	// Concurrency bounds the references resolved at once
	// (DefaultConcurrency when 0).
	Concurrency int
	// Platforms asks for the platforms each image holds (CP309): a GET of
	// the index or manifest, and of a single manifest's config.
	Platforms bool
	// Sizes asks for the compressed size of the layers for the task's
	// platform (CP310): a GET of the platform's manifest.
	Sizes bool
	// CacheDir holds the on-disk cache; "" for none.
	CacheDir string
	// TagTTL is how long a tag's digest is trusted from the cache
	// (DefaultTagTTL when 0). Digests are content: they never expire.
	TagTTL time.Duration
	// Transport carries the requests; remote.DefaultTransport when nil.
	// Tests route registry hosts to in-process registries with it.
	Transport http.RoundTripper
	// Keychain gives credentials per registry; when nil, Keychain() with
	// the user's Docker configuration and the AWS credential chain.
	Keychain Keychain
	// UserAgent is sent with every request.
	UserAgent string
}

// Keychain resolves credentials for a registry and says whether it sends
// any, so that a rule can tell an anonymous 404 from an authenticated one.
type Keychain interface {
	authn.Keychain
	// Anonymous reports whether requests to host go without credentials.
	Anonymous(host string) bool
}

// Checker answers model.ImageQuery values from the registries.
type Checker struct {
	opts   Options
	cache  *cache
	puller *remote.Puller

	mu sync.Mutex
	// down remembers hosts that did not answer, so that the other images
	// of a registry that is down do not each wait for the timeout.
	down map[string]string
}

var _ model.ImageChecker = (*Checker)(nil)

// New returns a Checker.
func New(opts Options) (*Checker, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.TagTTL <= 0 {
		opts.TagTTL = DefaultTagTTL
	}
	if opts.Transport == nil {
		opts.Transport = remote.DefaultTransport
	}
	if opts.Keychain == nil {
		opts.Keychain = DefaultKeychain()
	}
	c := &Checker{opts: opts, down: map[string]string{}}
	if opts.CacheDir != "" {
		c.cache = &cache{dir: opts.CacheDir, ttl: opts.TagTTL, now: time.Now}
	}
	ropts := []remote.Option{
		remote.WithTransport(newTransport(opts.Transport, opts.Timeout)),
		remote.WithAuthFromKeychain(opts.Keychain),
		// No retries: a registry that does not answer is a note, and
		// retried manifest GETs would count against Docker Hub's limit.
		remote.WithRetryBackoff(remote.Backoff{Duration: time.Millisecond, Steps: 1}),
		remote.WithPageSize(tagPageSize),
	}
	if opts.UserAgent != "" {
		ropts = append(ropts, remote.WithUserAgent(opts.UserAgent))
	}
	p, err := remote.NewPuller(ropts...)
	if err != nil {
		return nil, err
	}
	c.puller = p
	return c, nil
}

// CheckImages resolves each unique reference once, at most Concurrency at a
// time, and answers every query. A panic of a worker (a bug of canpull's,
// or of a library's) is raised again in the caller's goroutine once the
// other workers are done, so that the caller can recover it.
func (c *Checker) CheckImages(ctx context.Context, qs []model.ImageQuery) []model.ImageCheck {
	byRef := map[string][]int{}
	var order []string
	for i, q := range qs {
		if _, ok := byRef[q.Image]; !ok {
			order = append(order, q.Image)
		}
		byRef[q.Image] = append(byRef[q.Image], i)
	}
	out := make([]model.ImageCheck, len(qs))
	work := make(chan string)
	var wg sync.WaitGroup
	var crash workerPanic
	for range min(c.opts.Concurrency, len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ref := range work {
				idx := byRef[ref]
				var platforms []model.Platform
				for _, i := range idx {
					platforms = append(platforms, qs[i].Platform)
				}
				answers, ok := c.resolveSafely(ctx, ref, platforms, &crash)
				if !ok {
					continue
				}
				for k, i := range idx {
					out[i] = answers[k]
					out[i].Query = qs[i]
				}
			}
		}()
	}
	for _, ref := range order {
		work <- ref
	}
	close(work)
	wg.Wait()
	if p := crash.first(); p != nil {
		// A panic in a worker would end the whole process, past any
		// recover of the caller's: it goes on in the caller's goroutine,
		// where the driver turns it into an internal error.
		panic(p)
	}
	return out
}

// resolveSafely is resolve, with a panic recorded in crash instead of
// ending the process; ok is false then, and the worker goes on with the
// next reference.
func (c *Checker) resolveSafely(ctx context.Context, ref string, platforms []model.Platform, crash *workerPanic) (answers []model.ImageCheck, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			crash.record(&panicked{value: p, stack: debug.Stack()})
			answers, ok = nil, false
		}
	}()
	return c.resolve(ctx, ref, platforms), true
}

// panicked is a panic of a worker of CheckImages, raised again in the
// caller's goroutine: the value, and the stack of the worker.
type panicked struct {
	value any
	stack []byte
}

func (p *panicked) Error() string {
	return fmt.Sprintf("%v\n\nin the registry check's worker:\n%s", p.value, p.stack)
}

// workerPanic keeps the first panic of the workers.
type workerPanic struct {
	mu  sync.Mutex
	err *panicked
}

func (w *workerPanic) record(e *panicked) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = e
	}
}

func (w *workerPanic) first() *panicked {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

// hostDown returns why a host did not answer earlier, or "".
func (c *Checker) hostDown(host string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.down[host]
}

func (c *Checker) markDown(host, why string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.down[host] = why
}

// hostOf is the registry host as canpull names it: "docker.io" for every
// name of Docker Hub.
func hostOf(ref name.Reference) string {
	h := ref.Context().RegistryStr()
	if h == name.DefaultRegistry {
		return "docker.io"
	}
	return h
}
