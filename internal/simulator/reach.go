package simulator

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The platform reaches a database's host itself, in test-connection (its
// Node drivers) and in a backup (the dump tool). The simulator dials the
// same host and port over TCP and words what it finds as those programs
// do, so a test gets a refused or unreachable database without a fake. It
// stops at TCP: whatever accepts the connection counts as the database
// (see CONTRACT.md, "Where the simulator deliberately differs").

// defaultDialTimeout is short on purpose: the platform's drivers wait 10 s
// (and pg_dump the kernel's minutes), which no test wants to sit through.
const defaultDialTimeout = 3 * time.Second

// dialFailure classifies what stopped a dial.
type dialFailure int

const (
	reached    dialFailure = iota
	refusedEtc             // an errno from connect(2): ECONNREFUSED, EHOSTUNREACH, ...
	timedOut
	noSuchHost // the resolver says the name does not exist
	dnsFailed  // the resolver could not answer
	badPort    // outside 1–65535: Node refuses it before dialling
)

// dialed is what one TCP dial of a database's host found.
type dialed struct {
	failure dialFailure
	host    string
	port    int
	ip      string // the address dialled, when the name resolved
	errno   string // with refusedEtc: the errno's name, as Node prints it
	latency time.Duration
}

// dial connects to host:port once and hangs up.
func dial(ctx context.Context, host string, port int, timeout time.Duration) dialed {
	r := dialed{host: host, port: port}
	if port < 1 || port > 65535 {
		r.failure = badPort
		return r
	}
	if timeout <= 0 {
		timeout = defaultDialTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := time.Now()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, strconv.Itoa(port)))
	r.latency = time.Since(start)
	if err == nil {
		if a, ok := conn.RemoteAddr().(*net.TCPAddr); ok {
			r.ip = a.IP.String()
		}
		_ = conn.Close()
		return r
	}
	classify(&r, err)
	return r
}

func classify(r *dialed, err error) {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		r.failure = dnsFailed
		if dnsErr.IsNotFound {
			r.failure = noSuchHost
		}
		return
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		if a, ok := opErr.Addr.(*net.TCPAddr); ok {
			r.ip = a.IP.String()
		}
	}
	var errno syscall.Errno
	switch {
	case errors.As(err, &errno) && errnoNames[errno] != "":
		r.failure, r.errno = refusedEtc, errnoNames[errno]
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		r.failure = timedOut
	default:
		r.failure, r.errno = refusedEtc, "ECONNREFUSED"
	}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

var errnoNames = map[syscall.Errno]string{
	syscall.ECONNREFUSED:  "ECONNREFUSED",
	syscall.EHOSTUNREACH:  "EHOSTUNREACH",
	syscall.ENETUNREACH:   "ENETUNREACH",
	syscall.ECONNRESET:    "ECONNRESET",
	syscall.EADDRNOTAVAIL: "EADDRNOTAVAIL",
	syscall.ETIMEDOUT:     "ETIMEDOUT",
}

// nodeAddress is Node's "ip:port" (an IPv6 address without brackets).
func (r dialed) nodeAddress() string {
	ip := r.ip
	if ip == "" {
		ip = r.host
	}
	return ip + ":" + strconv.Itoa(r.port)
}

// nodeError is the message Node's net module (under pg, mysql2 and
// ioredis alike) gives for a failed connect; timeout is the driver's own
// words for giving up.
func (r dialed) nodeError(timeout string) string {
	switch r.failure {
	case noSuchHost:
		return "getaddrinfo ENOTFOUND " + r.host
	case dnsFailed:
		return "getaddrinfo EAI_AGAIN " + r.host
	case timedOut, badPort:
		return timeout
	default:
		return "connect " + r.errno + " " + r.nodeAddress()
	}
}

// pgDumpError is what pg_dump 15 writes to stderr when it cannot connect.
func (r dialed) pgDumpError() string {
	const hint = "\n\tIs the server running on that host and accepting TCP/IP connections?\n"
	if r.failure == noSuchHost || r.failure == dnsFailed {
		return `pg_dump: error: could not translate host name "` + r.host + `" to address: Name or service not known` + "\n"
	}
	at := `"` + r.host + `"`
	if r.ip != "" && r.ip != r.host {
		at += " (" + r.ip + ")"
	}
	reason := "Connection refused"
	switch {
	case r.failure == timedOut:
		reason = "Connection timed out"
	case r.failure == badPort:
		return `pg_dump: error: invalid port number: "` + strconv.Itoa(r.port) + `"` + "\n"
	case r.errno == "EHOSTUNREACH":
		reason = "No route to host"
	case r.errno == "ENETUNREACH":
		reason = "Network is unreachable"
	}
	return "pg_dump: error: connection to server at " + at + ", port " + strconv.Itoa(r.port) + " failed: " + reason + hint
}

// hostOrLocalhost is the drivers' and dump tools' fallback for a database
// without a host.
func hostOrLocalhost(h *string) string {
	if h == nil || strings.TrimSpace(*h) == "" {
		return "localhost"
	}
	return *h
}

func portOr(p *int, def int) int {
	if p == nil || *p == 0 {
		return def
	}
	return *p
}
