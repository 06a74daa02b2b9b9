package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionLdflag proves that the -X flag the release pipeline uses really
// reaches the binary: a mistyped symbol path is silently ignored by the Go
// linker and releases would then report "dev".
func TestVersionLdflag(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the provider binary")
	}
	const want = "9.8.7-ldflag-check"
	bin := filepath.Join(t.TempDir(), "terraform-provider-platform")
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version="+want, "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "-version").Output()
	if err != nil {
		t.Fatalf("%s -version: %v", bin, err)
	}
	if got := strings.TrimSpace(string(out)); got != want {
		t.Fatalf("binary reports version %q, want %q", got, want)
	}
}
