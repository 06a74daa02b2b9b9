package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The two -env-file formats, read the way the guide says to read them:
// dotenv by a shell with set -a (and, as it is, by $GITHUB_ENV), shell by
// sourcing it. A token of one's own may hold characters a shell would
// expand or split on.
func TestEnvFileFormatsReachTheEnvironment(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh on PATH")
	}
	const endpoint = "http://127.0.0.1:40517"
	for _, tc := range []struct {
		format, token, source string
	}{
		{envFormatDotenv, "bport_pat_operator_dev", `set -a; . "$1"; set +a`},
		{envFormatShell, "bport_pat_operator_dev", `. "$1"`},
		{envFormatShell, `it's $HOME; a b`, `. "$1"`},
	} {
		t.Run(tc.format+"/"+tc.token, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sim.env")
			if err := writeEnvFile(path, tc.format, endpoint, tc.token); err != nil {
				t.Fatal(err)
			}
			body, _ := os.ReadFile(path)
			// env -0 is not POSIX; printenv of each name is.
			cmd := exec.Command(sh, "-c", tc.source+`; printenv PLATFORM_ENDPOINT; printenv PLATFORM_TOKEN`, "sh", path)
			cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=/nowhere"}
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %s\nfile:\n%s", err, out, body)
			}
			if want := endpoint + "\n" + tc.token + "\n"; string(out) != want {
				t.Errorf("exported %q, want %q\nfile:\n%s", out, want, body)
			}
		})
	}
}

func TestEnvFileBody(t *testing.T) {
	if got := envFileBody(envFormatDotenv, "http://h:1", "tok"); got != "PLATFORM_ENDPOINT=http://h:1\nPLATFORM_TOKEN=tok\n" {
		t.Errorf("dotenv %q", got)
	}
	if got := envFileBody(envFormatShell, "http://h:1", "tok"); got != "export PLATFORM_ENDPOINT='http://h:1'\nexport PLATFORM_TOKEN='tok'\n" {
		t.Errorf("shell %q", got)
	}
	// Without a client token (operator and admin disabled) there is no
	// PLATFORM_TOKEN line at all rather than an empty one.
	if got := envFileBody(envFormatShell, "http://h:1", ""); got != "export PLATFORM_ENDPOINT='http://h:1'\n" {
		t.Errorf("no token %q", got)
	}
}

func TestEnvFormatFlag(t *testing.T) {
	cfg, err := parseFlags(nil, io.Discard)
	if err != nil || cfg.envFormat != envFormatDotenv {
		t.Fatalf("default format %q (%v): the dotenv file CI jobs append to $GITHUB_ENV must stay the default", cfg.envFormat, err)
	}
	if cfg, err := parseFlags([]string{"-env-format", "shell"}, io.Discard); err != nil || cfg.envFormat != envFormatShell {
		t.Errorf("shell: %v", err)
	}
	if _, err := parseFlags([]string{"-env-format", "json"}, io.Discard); err == nil || !strings.Contains(err.Error(), "dotenv or shell") {
		t.Errorf("an unknown format must be refused, naming the two: %v", err)
	}
}
