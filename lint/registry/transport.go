package registry

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/google/go-containerregistry/pkg/v1/remote/transport"
)

// transportGuard bounds every request with a timeout and refuses plain
// HTTP except to this machine: go-containerregistry would speak HTTP to
// private-range addresses, and credentials must not travel in the clear.
type transportGuard struct {
	next    http.RoundTripper
	timeout time.Duration
}

func newTransport(next http.RoundTripper, timeout time.Duration) http.RoundTripper {
	return &transportGuard{next: next, timeout: timeout}
}

func (t *transportGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "https" && !isLoopback(req.URL.Hostname()) {
		return nil, &plainHTTPError{host: req.URL.Host}
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.timeout)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	// The timeout covers reading the body too; closing it releases the
	// timer. A registry named by the configuration may be anyone's: no
	// answer is read past maxResponse.
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel, left: maxResponse}
	return resp, nil
}

// maxResponse bounds every response canpull reads: manifests, configs
// and pages of tags are far smaller; layers are never read.
const maxResponse = 16 << 20

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
	left   int64
}

func (b *cancelBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

var errTooLarge = errors.New("the registry's answer is over 16 MiB, more than canpull reads")

func (b *cancelBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type plainHTTPError struct{ host string }

func (e *plainHTTPError) Error() string {
	return fmt.Sprintf("%s would be asked over plain HTTP, which canpull does not do except on this machine", e.host)
}

// whyUnverified says in a few words why a registry's answer did not settle
// the question, and remembers a host that did not answer at all.
func (c *Checker) whyUnverified(host string, err error) string {
	var te *transport.Error
	var ce *credentialsError
	var pe *plainHTTPError
	switch {
	case errors.As(err, &ce):
		return ce.Error()
	case errors.As(err, &pe):
		return pe.Error()
	case errors.As(err, &te):
		s := fmt.Sprintf("%d %s from %s", te.StatusCode, http.StatusText(te.StatusCode), host)
		if len(te.Errors) > 0 {
			s += " (" + registryWords(te) + ")"
		}
		switch te.StatusCode {
		case http.StatusUnauthorized, http.StatusForbidden:
			if c.opts.Keychain.Anonymous(host) {
				s += "; canpull asked without credentials"
			}
		case http.StatusTooManyRequests:
			s += "; the registry's rate limit"
		}
		return s
	case isTimeout(err):
		why := fmt.Sprintf("no answer from %s within %s", host, c.opts.Timeout)
		c.markDown(host, why)
		return why
	}
	var ne net.Error
	var oe *net.OpError
	if errors.As(err, &oe) || errors.As(err, &ne) {
		why := fmt.Sprintf("cannot reach %s: %s", host, shortNetError(err))
		c.markDown(host, why)
		return why
	}
	return printable(clip(err.Error(), maxWords))
}

// printable keeps what a registry said fit for a terminal and a report:
// control characters (escape sequences among them) become spaces.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == unicode.ReplacementChar {
			return ' '
		}
		return r
	}, s)
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// shortNetError is the innermost part of a network error: "connection
// refused", "no such host".
func shortNetError(err error) string {
	s := err.Error()
	if i := strings.LastIndex(s, ": "); i >= 0 {
		s = s[i+2:]
	}
	return printable(clip(s, maxWords))
}

func jsonDecode(raw []byte, v any) error { return json.Unmarshal(raw, v) }
