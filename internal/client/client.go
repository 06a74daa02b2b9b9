// Package client speaks HTTP and JSON to the platform API (the open-source
// BridgePort deploy platform). It retries what the platform's API contract
// says is safe to retry, bounds every call in time, keeps secrets out of
// logs and errors, and knows nothing about Terraform types: the provider
// converts at its own edge.
package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	// DefaultRequestTimeout bounds one attempt of a call.
	DefaultRequestTimeout = 30 * time.Second
	// DefaultOperationTimeout bounds a call whose caller set no deadline:
	// refreshes, data sources and the schedule resource have no timeouts
	// block, and a batched list runs detached from every caller. Nine
	// attempts of 30s plus their backoff would otherwise take six minutes.
	DefaultOperationTimeout = 5 * time.Minute
)

const (
	defaultMaxRetries = 8
	defaultMinBackoff = 500 * time.Millisecond
	defaultMaxBackoff = 30 * time.Second
	defaultUserAgent  = "terraform-provider-platform"

	// Terraform runs up to 10 operations in parallel against one host;
	// Go's default keeps only 2 idle connections per host, so most of them
	// would pay a fresh TCP+TLS handshake every time.
	maxIdleConnsPerHost = 16
)

// Config configures a Client. Zero values select the defaults.
type Config struct {
	// Endpoint is the platform's base URL, e.g. https://deploy.example.com.
	Endpoint string
	// Token is a login JWT or an API token (bport_pat_...).
	Token string
	// UserAgent is sent on every request, e.g.
	// "terraform-provider-platform/1.2.3 terraform/1.9.0".
	UserAgent string
	// HTTPClient is optional; its Transport is reused for every request.
	// It cannot be combined with TLS.
	HTTPClient *http.Client
	// TLS adds trusted CAs or disables verification; zero verifies against
	// the system roots.
	TLS TLSConfig
	// RequestTimeout bounds one attempt (not the whole call, which the
	// caller's context bounds). Default 30s. An attempt never outlives the
	// call's deadline either.
	RequestTimeout time.Duration
	// OperationTimeout bounds a whole call, retries included, when the
	// caller's context has no deadline of its own. Default 5m.
	OperationTimeout time.Duration
	// MaxRetries is how many times a failed attempt may be repeated.
	// 0 selects the default (8); a negative value disables retries.
	MaxRetries int
	// MinBackoff and MaxBackoff bound the jittered exponential wait used
	// when the server gives no retry-after. Defaults 500ms and 30s.
	MinBackoff, MaxBackoff time.Duration
}

// Client is safe for concurrent use. Create it once per provider
// configuration so every call shares one connection pool.
type Client struct {
	endpoint         string
	token            string
	userAgent        string
	http             *http.Client
	requestTimeout   time.Duration
	operationTimeout time.Duration
	maxRetries       int
	minBackoff       time.Duration
	maxBackoff       time.Duration
	rate             rateLimitTracker

	// sleep waits between attempts; tests replace it to record the waits
	// instead of spending them.
	sleep func(ctx context.Context, d time.Duration) error
	// jitter returns a random duration in [0, n); tests pin it.
	jitter func(n time.Duration) time.Duration
	now    func() time.Time

	onWrite func(context.Context, Write) // see OnWrite
	routes  routes                       // see Supports
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	endpoint, err := normalizeEndpoint(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	if cfg.Token == "" {
		return nil, errors.New("platform API token is empty")
	}
	if cfg.RequestTimeout < 0 || cfg.OperationTimeout < 0 || cfg.MinBackoff < 0 || cfg.MaxBackoff < 0 {
		return nil, errors.New("platform client timeouts and backoffs must not be negative")
	}
	c := &Client{
		endpoint:         endpoint,
		token:            cfg.Token,
		userAgent:        orDefault(cfg.UserAgent, defaultUserAgent),
		http:             cfg.HTTPClient,
		requestTimeout:   orDefault(cfg.RequestTimeout, DefaultRequestTimeout),
		operationTimeout: orDefault(cfg.OperationTimeout, DefaultOperationTimeout),
		maxRetries:       retriesFrom(cfg.MaxRetries),
		minBackoff:       orDefault(cfg.MinBackoff, defaultMinBackoff),
		maxBackoff:       orDefault(cfg.MaxBackoff, defaultMaxBackoff),
		sleep:            sleepContext,
		jitter:           randomJitter,
		now:              time.Now,
	}
	switch {
	case c.http != nil && !cfg.TLS.empty():
		return nil, errors.New("platform client: set TLS or HTTPClient, not both")
	case !cfg.TLS.empty():
		if c.http, err = httpClientWithTLS(cfg.TLS); err != nil {
			return nil, err
		}
	case c.http == nil:
		c.http = defaultHTTPClient()
	}
	c.maxBackoff = max(c.maxBackoff, c.minBackoff)
	c.http = withoutRedirects(c.http)
	return c, nil
}

// Endpoint is the normalised base URL, without a trailing slash.
func (c *Client) Endpoint() string { return c.endpoint }

// normalizeEndpoint accepts an absolute http(s) URL, optionally with a path
// prefix, and drops the trailing slash so paths can be appended verbatim.
func normalizeEndpoint(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || !validPort(u.Port()) {
		return "", fmt.Errorf("platform endpoint %q must be an absolute http:// or https:// URL, such as https://deploy.example.com", raw)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("platform endpoint %q must not carry a query or fragment", raw)
	}
	return strings.TrimRight(raw, "/"), nil
}

// validPort: url.Parse accepts any digits as a port, and a dial to port
// 99999 would fail only after every retry.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = maxIdleConnsPerHost
	// No http.Client.Timeout: each attempt gets its own context deadline,
	// so a slow attempt can be retried instead of failing the whole call.
	return &http.Client{Transport: t}
}

// withoutRedirects returns a copy of hc that follows no redirect. Go's
// default policy sends Authorization again to a redirect on the same host,
// from https to http too, in clear text; the platform's API never
// redirects, so an endpoint that does is misconfigured, and do reports the
// redirect instead (see redirectError).
func withoutRedirects(hc *http.Client) *http.Client {
	cp := *hc
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &cp
}

func retriesFrom(n int) int {
	switch {
	case n < 0:
		return 0
	case n == 0:
		return defaultMaxRetries
	}
	return n
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
