// Command platform-simulator serves the in-repo simulator of the platform
// API on a local address, for demos and manual testing.
//
// It prints one line "platform-simulator listening on http://ADDR", then one
// line "environment NAME ID" per environment, and serves until SIGINT or
// SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// Default tokens, one per role; an empty flag value disables that token.
const (
	defaultAdminToken    = "bport_pat_admin_dev"
	defaultOperatorToken = "bport_pat_operator_dev"
	defaultViewerToken   = "bport_pat_viewer_dev"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

type config struct {
	listen  string
	opts    simulator.Options
	envs    []string
	servers []string
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("platform-simulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: platform-simulator [flags]

Serves the platform API simulator. Prints "platform-simulator listening on
http://ADDR", then "environment NAME ID" per environment (and "server ENV NAME
ID" per -server), and serves until SIGINT or SIGTERM. Tokens default to one
per role: admin `+defaultAdminToken+`, operator `+defaultOperatorToken+`,
viewer `+defaultViewerToken+`.

Flags:
`)
		fs.PrintDefaults()
	}
	var (
		cfg                    config
		admin, operator, view  string
		scoped, envs, servers  listFlag
		fail503, before, after float64
	)
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	fs.StringVar(&admin, "admin-token", defaultAdminToken, "admin token (empty disables it)")
	fs.StringVar(&operator, "operator-token", defaultOperatorToken, "operator token (empty disables it)")
	fs.StringVar(&view, "viewer-token", defaultViewerToken, "viewer token (empty disables it)")
	fs.Var(&scoped, "scoped-token", "environment-scoped token `value:role:env1,env2` (repeatable)")
	fs.Var(&envs, "env", "environment `name` to create (repeatable; default \"default\")")
	fs.Var(&servers, "server", "server to register, `env:name` (repeatable); prints \"server ENV NAME ID\"")
	fs.IntVar(&cfg.opts.RateLimit, "rate-limit", 100, "requests per window per client IP (0 disables)")
	fs.DurationVar(&cfg.opts.RateWindow, "rate-window", 60*time.Second, "rate limit window")
	fs.Float64Var(&fail503, "fail-503", 0, "fraction of /api requests answered 503 with retry-after: 1")
	fs.Float64Var(&before, "drop-before", 0, "fraction of /api connections dropped before the handler runs")
	fs.Float64Var(&after, "drop-after", 0, "fraction of /api connections dropped after the write is applied")
	fs.DurationVar(&cfg.opts.Faults.Latency, "latency", 0, "latency added to every /api request")
	fs.DurationVar(&cfg.opts.Faults.LatencyAfter, "latency-after", 0, "delay before each /api response, after the write is applied")
	fs.Int64Var(&cfg.opts.Seed, "seed", 0, "random seed for fault injection (0 = random)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	cfg.opts.Faults.Unavailable, cfg.opts.Faults.DropBefore, cfg.opts.Faults.DropAfter = fail503, before, after
	for _, t := range []simulator.Token{{Value: admin, Role: simulator.RoleAdmin},
		{Value: operator, Role: simulator.RoleOperator}, {Value: view, Role: simulator.RoleViewer}} {
		if t.Value != "" {
			cfg.opts.Tokens = append(cfg.opts.Tokens, t)
		}
	}
	for _, spec := range scoped {
		t, err := parseScopedToken(spec)
		if err != nil {
			return nil, err
		}
		cfg.opts.Tokens = append(cfg.opts.Tokens, t)
	}
	cfg.envs = envs
	if len(cfg.envs) == 0 {
		cfg.envs = []string{"default"}
	}
	cfg.opts.Environments = cfg.envs
	cfg.servers = servers
	return &cfg, nil
}

func parseScopedToken(spec string) (simulator.Token, error) {
	parts := strings.SplitN(spec, ":", 3)
	if len(parts) < 2 || parts[0] == "" {
		return simulator.Token{}, fmt.Errorf("-scoped-token %q: want value:role:env1,env2", spec)
	}
	role := simulator.Role(parts[1])
	if role != simulator.RoleViewer && role != simulator.RoleOperator && role != simulator.RoleAdmin {
		return simulator.Token{}, fmt.Errorf("-scoped-token %q: role must be viewer, operator or admin", spec)
	}
	t := simulator.Token{Value: parts[0], Role: role}
	if len(parts) == 3 && parts[2] != "" {
		t.Environments = strings.Split(parts[2], ",")
	}
	return t, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "platform-simulator:", err)
		return 2
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.listen)
	if err != nil {
		fmt.Fprintln(stderr, "platform-simulator:", err)
		return 1
	}
	sim := simulator.New(cfg.opts)
	fmt.Fprintf(stdout, "platform-simulator listening on http://%s\n", ln.Addr())
	for _, name := range cfg.envs {
		fmt.Fprintf(stdout, "environment %s %s\n", name, sim.EnvironmentID(name))
	}
	if err := registerServers(sim, cfg.servers, stdout); err != nil {
		fmt.Fprintln(stderr, "platform-simulator:", err)
		_ = ln.Close()
		return 2
	}
	return serve(ctx, sim, ln, stderr)
}

func registerServers(sim *simulator.Simulator, specs []string, stdout io.Writer) error {
	for _, spec := range specs {
		env, name, ok := strings.Cut(spec, ":")
		envID := sim.EnvironmentID(env)
		if !ok || name == "" || envID == "" {
			return fmt.Errorf("-server %q: want env:name with a known environment", spec)
		}
		fmt.Fprintf(stdout, "server %s %s %s\n", env, name, sim.AddServer(envID, name))
	}
	return nil
}

func serve(ctx context.Context, sim *simulator.Simulator, ln net.Listener, stderr io.Writer) int {
	srv := &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintln(stderr, "platform-simulator:", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintln(stderr, "platform-simulator: shutdown:", err)
		return 1
	}
	return 0
}
