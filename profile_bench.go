//go:build benchprofile

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
)

// Built only by `make bench` with -profile: every provider process writes a
// CPU profile and, at exit, a heap profile into BENCH_PROFILE_DIR, so a
// phase's provider work can be inspected with go tool pprof.
func init() {
	dir := os.Getenv("BENCH_PROFILE_DIR")
	if dir == "" {
		return
	}
	base := filepath.Join(dir, fmt.Sprintf("%d", os.Getpid()))
	cpu, err := os.Create(base + ".cpu.pprof")
	if err != nil || pprof.StartCPUProfile(cpu) != nil {
		return
	}
	atExit = func() {
		pprof.StopCPUProfile()
		_ = cpu.Close()
		if heap, err := os.Create(base + ".heap.pprof"); err == nil {
			runtime.GC()
			_ = pprof.Lookup("allocs").WriteTo(heap, 0)
			_ = heap.Close()
		}
	}
}
