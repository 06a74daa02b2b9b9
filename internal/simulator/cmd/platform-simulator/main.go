// Command platform-simulator serves the in-repo simulator of the platform
// API on a local address: a test double for people who test Terraform
// modules and configurations that use this provider, and for the demo.
// It is released with the provider and installable with go install.
//
// It prints one line "platform-simulator listening on http://ADDR", then one
// line per environment, server, seeded database and token (see the usage
// text), and serves until SIGINT or SIGTERM.
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
	"runtime/debug"
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
	listen    string
	opts      simulator.Options
	envs      []string
	servers   []string
	seedFile  string
	envFile   string
	envFormat string
	version   bool
}

// version is set by the release build (-X main.version); go install
// leaves it empty and the module version comes from the build info.
var version string

func buildVersion() string {
	if version != "" {
		return version
	}
	// A build from a clone reports "(devel)"; go install module@version
	// reports that version.
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// envPrefix names the environment variables that stand in for flags not
// given on the command line (PLATFORM_SIMULATOR_OPERATOR_TOKEN for
// -operator-token): a CI job can configure the simulator once, in its env.
const envPrefix = "PLATFORM_SIMULATOR_"

func envName(flagName string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

const usage = `Usage: platform-simulator [flags]

A test double of the BridgePort platform API for users of the Terraform
provider platform-iac/platform: point the provider at it (PLATFORM_ENDPOINT,
PLATFORM_TOKEN) to test modules and configurations without a platform. It
answers like the platform, validation, errors, roles, rate limit and quirks
included, and keeps everything in memory. It is not a platform: it deploys
nothing, connects to no database (a test-connection stops at a TCP connect,
a backup dumps nothing) and forgets everything when it exits.

It prints, one per line:
  platform-simulator listening on http://ADDR
  environment NAME ID          per environment (-env, and the seed file's)
  server ENV NAME ID           per -server and seeded server
  database ENV NAME ID         per seeded database
  token ROLE VALUE [ENVS]      per token it accepts (ENVS: a scoped token's)
then serves until SIGINT or SIGTERM, and exits 0.

-release 2.3.0 acts as BridgePort v2.3.0, the last release before 3.0.0: no
retention policies, rotation or pins (their routes answer 404 "Not found",
as any unknown route does, and backups have no isPinned, pinnedById, pinnedAt
or lastRotationError), a scheduled run deletes the scheduled backups older
than the schedule's retentionDays, and a rate-limited request is answered
500 INTERNAL with its retry-after and x-ratelimit-* headers instead of 429.
A seed file with a backupPolicy or a pinned backup is refused there.

Tokens default to one per role: admin ` + defaultAdminToken + `, operator
` + defaultOperatorToken + `, viewer ` + defaultViewerToken + `.
Tokens belong to service accounts, as the platform's automation tokens
do: /api/auth/me reports the account (serviceAccountId), and the backups a
token starts or pins record no user (triggeredById, triggeredBy and
pinnedById null). -tokens-as-users makes the flags' tokens users' personal
tokens instead; a seed file's token is a user's with "user": true.
Every flag can also be set by an environment variable named after it,
` + envPrefix + `<FLAG> (` + envPrefix + `OPERATOR_TOKEN for -operator-token);
the command line wins.

-seed-file takes a JSON estate:
  {"tokens": [{"value": "...", "role": "operator", "environments": ["staging"],
     "serviceAccount": "ci"}],
   "environments": [{"name": "staging", "servers": ["db-host"],
     "databases": [{"name": "orders-pg", "type": "postgres", "host": "pg.internal",
       "port": 5432, "server": "db-host",
       "schedule": {"cronExpression": "0 2 * * *"},
       "backupPolicy": {"preset": "balanced"},
       "backups": [{"age": "26h"}, {"age": "2h", "status": "failed", "error": "disk full"}]}]}]}
A database is the body of POST /api/environments/{envId}/databases (the API's
field names, checked as the platform checks them), plus "server" (a server of
its environment), "schedule" and "backupPolicy" (PUT bodies of those routes)
and "backups" (createdAt RFC 3339 or age, kind manual|scheduled, status
completed|failed, pinned, size, filename, errorStep, error). A token names
its service account ("serviceAccount", one is made up without it) or is a
user's ("user": true).

Flags:
`

// rawFlags holds the flag values that parseFlags turns into a config.
type rawFlags struct {
	admin, operator, view  string
	scoped, envs, servers  listFlag
	fail503, before, after float64
	release                string
	allowDefaultTokens     bool
	tokensAsUsers          bool
}

// newFlagSet defines every flag, writing into cfg and raw: the one list of
// the command's flags, which the guide's flag table is checked against.
func newFlagSet(cfg *config, raw *rawFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("platform-simulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	fs.StringVar(&raw.admin, "admin-token", defaultAdminToken, "admin token (empty disables it)")
	fs.StringVar(&raw.operator, "operator-token", defaultOperatorToken, "operator token (empty disables it)")
	fs.StringVar(&raw.view, "viewer-token", defaultViewerToken, "viewer token (empty disables it)")
	fs.Var(&raw.scoped, "scoped-token", "environment-scoped token `value:role:env1,env2` (repeatable)")
	fs.BoolVar(&raw.tokensAsUsers, "tokens-as-users", false, "make the tokens of -admin-token, -operator-token, -viewer-token and -scoped-token "+
		"users' personal tokens: /api/auth/me reports a user, and the backups they start or pin record that user (by default a "+
		"service account owns each, as the platform's automation tokens, and they record none)")
	fs.Var(&raw.envs, "env", "environment `name` to create (repeatable; default \"default\" without -seed-file)")
	fs.Var(&raw.servers, "server", "server to register, `env:name` (repeatable); prints \"server ENV NAME ID\"")
	fs.StringVar(&raw.release, "release", "latest", "platform `release` to act as: "+strings.Join(simulator.Releases(), " or ")+
		" (2.3.0 has no retention policies, rotation or pins, and answers its rate limit with a 500)")
	fs.IntVar(&cfg.opts.RateLimit, "rate-limit", 100, "requests per window per client IP (0 disables; the platform's stock limit is 100 a minute, and v2.3.0 has no other)")
	fs.DurationVar(&cfg.opts.RateWindow, "rate-window", 60*time.Second, "rate limit window")
	fs.Float64Var(&raw.fail503, "fail-503", 0, "fraction of /api requests answered 503 with retry-after: 1 (500 with -release 2.3.0, as that release answers contention)")
	fs.Float64Var(&raw.before, "drop-before", 0, "fraction of /api connections dropped before the handler runs")
	fs.Float64Var(&raw.after, "drop-after", 0, "fraction of /api connections dropped after the write is applied")
	fs.DurationVar(&cfg.opts.Faults.Latency, "latency", 0, "latency added to every /api request")
	fs.DurationVar(&cfg.opts.Faults.LatencyAfter, "latency-after", 0, "delay before each /api response, after the write is applied")
	fs.Int64Var(&cfg.opts.Seed, "seed", 0, "random seed for fault injection and ids (0 = random); the estate is -seed-file")
	fs.StringVar(&cfg.seedFile, "seed-file", "", "JSON `file` of environments, databases, schedules, policies, backups and tokens to start with")
	fs.BoolVar(&cfg.opts.DumpAnyHost, "dump-any-host", false,
		"let backups of postgres and mysql databases complete without reaching their host (the platform's dump fails when nothing answers there)")
	fs.StringVar(&cfg.envFile, "env-file", "", "once listening, write PLATFORM_ENDPOINT and PLATFORM_TOKEN (the operator token, else the admin token) to `file`, in the -env-format")
	fs.StringVar(&cfg.envFormat, "env-format", envFormatDotenv, "`format` of the -env-file: "+envFormatDotenv+
		" (NAME=value lines, for $GITHUB_ENV, docker --env-file, or a shell with set -a) or "+envFormatShell+
		" (export NAME='value' lines, which a POSIX shell sources as they are)")
	fs.BoolVar(&raw.allowDefaultTokens, "allow-default-tokens", false,
		"allow the default tokens on a -listen address other than loopback (without it such an address needs tokens of your own, "+
			"since anyone who can reach it could use the published defaults, test-connection's dials to any host and port included)")
	fs.BoolVar(&cfg.version, "version", false, "print the version and exit")
	return fs
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	var (
		cfg config
		raw rawFlags
	)
	fs := newFlagSet(&cfg, &raw, stderr)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if err := flagsFromEnv(fs); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	r, err := simulator.ParseRelease(raw.release)
	if err != nil {
		return nil, fmt.Errorf("-release: %w", err)
	}
	cfg.opts.Release = r
	if cfg.envFormat != envFormatDotenv && cfg.envFormat != envFormatShell {
		return nil, fmt.Errorf("-env-format %q: want %s or %s", cfg.envFormat, envFormatDotenv, envFormatShell)
	}
	admin, operator, view := raw.admin, raw.operator, raw.view
	if defaults := defaultTokensInUse(admin, operator, view); len(defaults) > 0 && !raw.allowDefaultTokens && !loopback(cfg.listen) {
		return nil, fmt.Errorf("-listen %s can be reached from other machines, and the default %s token(s), which this "+
			"command's help publishes, would let anyone there use the simulator (its test-connection dials any host and port "+
			"it is given): set tokens of your own with -admin-token, -operator-token and -viewer-token (an empty value "+
			"disables one), listen on 127.0.0.1, or pass -allow-default-tokens", cfg.listen, strings.Join(defaults, ", "))
	}
	cfg.opts.Faults.Unavailable, cfg.opts.Faults.DropBefore, cfg.opts.Faults.DropAfter = raw.fail503, raw.before, raw.after
	for _, t := range []simulator.Token{{Value: admin, Role: simulator.RoleAdmin},
		{Value: operator, Role: simulator.RoleOperator}, {Value: view, Role: simulator.RoleViewer}} {
		if t.Value != "" {
			t.User = raw.tokensAsUsers
			cfg.opts.Tokens = append(cfg.opts.Tokens, t)
		}
	}
	for _, spec := range raw.scoped {
		t, err := parseScopedToken(spec)
		if err != nil {
			return nil, err
		}
		t.User = raw.tokensAsUsers
		cfg.opts.Tokens = append(cfg.opts.Tokens, t)
	}
	cfg.envs = raw.envs
	if len(cfg.envs) == 0 && cfg.seedFile == "" {
		cfg.envs = []string{"default"}
	}
	cfg.opts.Environments = cfg.envs
	cfg.servers = raw.servers
	return &cfg, nil
}

// flagsFromEnv sets every flag not given on the command line from its
// environment variable, when that is set.
func flagsFromEnv(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		v, ok := os.LookupEnv(envName(f.Name))
		if given[f.Name] || !ok || err != nil {
			return
		}
		if e := fs.Set(f.Name, v); e != nil {
			err = fmt.Errorf("%s=%q: %w", envName(f.Name), v, e)
		}
	})
	return err
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
	if cfg.version {
		fmt.Fprintln(stdout, buildVersion())
		return 0
	}
	// The seed is read and applied before listening, so a client that
	// saw the address never sees a half-built estate.
	sim := simulator.New(cfg.opts)
	var estate *seeded
	if cfg.seedFile != "" {
		f, err := readSeed(cfg.seedFile)
		if err == nil {
			estate, err = applySeed(sim, f, time.Now())
		}
		if err != nil {
			fmt.Fprintln(stderr, "platform-simulator: -seed-file:", err)
			return 2
		}
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.listen)
	if err != nil {
		fmt.Fprintln(stderr, "platform-simulator:", err)
		return 1
	}
	endpoint := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "platform-simulator listening on %s\n", endpoint)
	envs := cfg.envs
	if estate != nil {
		envs = append(envs, estate.envs...)
	}
	printed := map[string]bool{}
	for _, name := range envs {
		if !printed[name] {
			printed[name] = true
			fmt.Fprintf(stdout, "environment %s %s\n", name, sim.EnvironmentID(name))
		}
	}
	if err := registerServers(sim, cfg.servers, stdout); err != nil {
		fmt.Fprintln(stderr, "platform-simulator:", err)
		_ = ln.Close()
		return 2
	}
	tokens := cfg.opts.Tokens
	if estate != nil {
		for _, sv := range estate.servers {
			fmt.Fprintf(stdout, "server %s %s %s\n", sv[0], sv[1], sv[2])
		}
		for _, d := range estate.databases {
			fmt.Fprintf(stdout, "database %s %s %s\n", d[0], d[1], d[2])
		}
		tokens = append(tokens, estate.tokens...)
	}
	for _, t := range tokens {
		line := fmt.Sprintf("token %s %s", t.Role, t.Value)
		if len(t.Environments) > 0 {
			line += " " + strings.Join(t.Environments, ",")
		}
		fmt.Fprintln(stdout, line)
	}
	if cfg.envFile != "" {
		if err := writeEnvFile(cfg.envFile, cfg.envFormat, endpoint, clientToken(tokens)); err != nil {
			fmt.Fprintln(stderr, "platform-simulator: -env-file:", err)
			_ = ln.Close()
			return 1
		}
	}
	return serve(ctx, sim, ln, stderr)
}

// clientToken is the token a client of the simulator should use: the
// operator's, as on a platform where Terraform runs with an operator
// token; the admin's when that is disabled.
func clientToken(tokens []simulator.Token) string {
	for _, role := range []simulator.Role{simulator.RoleOperator, simulator.RoleAdmin} {
		for _, t := range tokens {
			if t.Role == role && len(t.Environments) == 0 {
				return t.Value
			}
		}
	}
	return ""
}

// The -env-file formats. dotenv is what $GITHUB_ENV, docker --env-file and
// systemd's EnvironmentFile read, but a shell that sources it sets the
// variables without exporting them, so terraform never sees them; shell
// exports them.
const (
	envFormatDotenv = "dotenv"
	envFormatShell  = "shell"
)

// envFileBody is the -env-file's text in format. A token of one's own may
// hold any character: the shell format quotes it, and dotenv, which has no
// quoting that all its readers agree on, writes it as given.
func envFileBody(format, endpoint, token string) string {
	vars := [][2]string{{"PLATFORM_ENDPOINT", endpoint}}
	if token != "" {
		vars = append(vars, [2]string{"PLATFORM_TOKEN", token})
	}
	var b strings.Builder
	for _, v := range vars {
		if format == envFormatShell {
			fmt.Fprintf(&b, "export %s=%s\n", v[0], shellQuote(v[1]))
		} else {
			fmt.Fprintf(&b, "%s=%s\n", v[0], v[1])
		}
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell: inside single quotes nothing is
// special but the single quote itself, which ends the quoting, is written
// escaped and opens it again.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// writeEnvFile writes the file in one rename, so whoever waits for it to
// appear reads it whole.
func writeEnvFile(path, format, endpoint, token string) error {
	body := envFileBody(format, endpoint, token)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(body), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
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

// defaultTokensInUse names the roles whose token is still the published
// default.
func defaultTokensInUse(admin, operator, viewer string) []string {
	var roles []string
	for _, t := range []struct{ role, value, def string }{
		{"admin", admin, defaultAdminToken}, {"operator", operator, defaultOperatorToken}, {"viewer", viewer, defaultViewerToken},
	} {
		if t.value != "" && t.value == t.def {
			roles = append(roles, t.role)
		}
	}
	return roles
}

// loopback: the listen address is reachable from this machine only.
func loopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
