package bench

import (
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// proxy is a counting reverse proxy in front of one server (Drone or
// Galaxias). The providers are pointed at it, so what it counts is what the
// provider sent, seen from the server side: requests by route, credential
// checks, and new TCP connections accepted from the provider.
//
// It can also add a round-trip delay to every request (SetDelay): one sleep
// per request, before it is forwarded, so that connections kept alive do not
// hide it. That models a server a network round trip away with the
// connections already open: each request waits for its answer one round trip
// longer; requests in flight together wait side by side, as they would on
// separate connections. It does not model the handshakes of new TCP (or TLS)
// connections, which cost more round trips, nor bandwidth.
type proxy struct {
	Name   string
	target *url.URL
	ln     *countingListener
	srv    *http.Server
	check  func(*http.Request) bool
	delay  atomic.Int64 // nanoseconds added to every request

	inFlight, maxInFlight atomic.Int64 // requests being answered, and their most since the last Take

	mu     sync.Mutex
	routes map[string]int
	checks int
}

// startProxy listens on a free loopback port and forwards to target.
// isCheck tells which requests are the provider's credential check.
func startProxy(name, target string, isCheck func(*http.Request) bool) (*proxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{Name: name, target: u, ln: &countingListener{Listener: l}, check: isCheck, routes: map[string]int{}}
	rp := httputil.NewSingleHostReverseProxy(u)
	// The proxy's own connections to the server are pooled generously so
	// that the proxy adds as little as possible; they are not counted.
	rp.Transport = &http.Transport{
		Proxy:               nil,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
	}
	rp.ErrorLog = nil
	p.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p.count(r)
			p.enter()
			defer p.inFlight.Add(-1)
			if d := time.Duration(p.delay.Load()); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-t.C:
				case <-r.Context().Done():
					t.Stop()
					return
				}
			}
			rp.ServeHTTP(w, r)
		}),
		ReadHeaderTimeout: 30 * time.Second,
	}
	go func() { _ = p.srv.Serve(p.ln) }()
	return p, nil
}

// URL is the proxy's base URL.
func (p *proxy) URL() string { return "http://" + p.ln.Addr().String() }

// enter counts a request in flight and keeps the most seen.
func (p *proxy) enter() {
	n := p.inFlight.Add(1)
	for {
		m := p.maxInFlight.Load()
		if n <= m || p.maxInFlight.CompareAndSwap(m, n) {
			return
		}
	}
}

// SetDelay sets the round-trip delay added to each request from now on.
func (p *proxy) SetDelay(d time.Duration) { p.delay.Store(int64(d)) }

// Close stops the proxy.
func (p *proxy) Close() error { return p.srv.Close() }

func (p *proxy) count(r *http.Request) {
	key := r.Method + " " + route(r.URL.Path)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.check != nil && p.check(r) {
		p.checks++
		return
	}
	p.routes[key]++
}

// counts is what a proxy saw during one phase.
type counts struct {
	Requests int            `json:"requests"`          // without credential checks
	Checks   int            `json:"credential_checks"` // GET /api/user (Drone), first project page (Galaxias)
	Conns    int            `json:"new_connections"`   // TCP connections accepted
	ByRoute  map[string]int `json:"by_route,omitempty"`
	// MaxInFlight is the most requests (credential checks included) the
	// server was answering at once: how far the provider overlaps its
	// round trips.
	MaxInFlight int `json:"max_in_flight,omitempty"`
}

// Add sums two counts.
func (c counts) Add(o counts) counts {
	out := counts{Requests: c.Requests + o.Requests, Checks: c.Checks + o.Checks, Conns: c.Conns + o.Conns, ByRoute: map[string]int{},
		MaxInFlight: c.MaxInFlight + o.MaxInFlight} // at most: the two servers' peaks need not coincide
	for k, v := range c.ByRoute {
		out.ByRoute[k] += v
	}
	for k, v := range o.ByRoute {
		out.ByRoute[k] += v
	}
	return out
}

// Lists returns the number of requests that read a collection: a GET whose
// route does not end with an id or a name, and Drone's repository sync.
func (c counts) Lists() int {
	n := 0
	for k, v := range c.ByRoute {
		if isListRoute(k) {
			n += v
		}
	}
	return n
}

// Take returns the counts since the last Take (or the start) and resets them.
func (p *proxy) Take() counts {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := counts{Checks: p.checks, Conns: int(p.ln.accepted.Swap(0)), ByRoute: p.routes,
		MaxInFlight: int(p.maxInFlight.Swap(p.inFlight.Load()))}
	for _, v := range p.routes {
		c.Requests += v
	}
	p.routes, p.checks = map[string]int{}, 0
	return c
}

type countingListener struct {
	net.Listener
	accepted atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted.Add(1)
	}
	return c, err
}

var (
	numericSeg = regexp.MustCompile(`^[0-9]+$`)
	droneRepo  = regexp.MustCompile(`^/api/repos/[^/]+/[^/]+`)
)

// route turns a request path into its route: numeric segments become {id},
// Drone's /api/repos/<owner>/<name> becomes /api/repos/{repo} and a secret,
// cron or other item name below it becomes {name}.
func route(path string) string {
	if loc := droneRepo.FindStringIndex(path); loc != nil {
		rest := strings.Split(strings.Trim(path[loc[1]:], "/"), "/")
		out := "/api/repos/{repo}"
		for i, s := range rest {
			switch {
			case s == "":
			case numericSeg.MatchString(s):
				out += "/{id}"
			case i == 1:
				out += "/{name}"
			default:
				out += "/" + s
			}
		}
		return out
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if numericSeg.MatchString(s) {
			segs[i] = "{id}"
		}
	}
	return strings.Join(segs, "/")
}

// isListRoute tells whether "METHOD route" reads or syncs a collection.
func isListRoute(key string) bool {
	method, route, _ := strings.Cut(key, " ")
	if method == http.MethodPost && route == "/api/user/repos" {
		return true // Drone sync
	}
	if method != http.MethodGet {
		return false
	}
	last := route[strings.LastIndex(route, "/")+1:]
	if last == "{id}" || last == "{name}" {
		return false
	}
	// /api/repos/{repo} is one repository; /v1/apps/{id}/configs/{id} is one item.
	return route != "/api/repos/{repo}" && !strings.HasSuffix(route, "/config")
}

// droneCheck is the drone provider's credential check.
func droneCheck(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == "/api/user"
}

// galaxiasCheck is the galaxias provider's credential check: the first page
// of one project (client.CheckAuth).
func galaxiasCheck(r *http.Request) bool {
	q := r.URL.Query()
	return r.Method == http.MethodGet && r.URL.Path == "/v1/projects" && q.Get("per_page") == "1" && q.Get("page") == "1"
}
