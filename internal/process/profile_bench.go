//go:build benchprofile

package process

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// StartBenchProfile, in the build `make bench -profile` makes (tag
// benchprofile), has every provider process write a CPU profile and, when
// the returned function runs at exit, heap and goroutine profiles into
// BENCH_PROFILE_DIR, so a phase's provider work can be inspected with go
// tool pprof. Released binaries get the no-op in profile_off.go.
func StartBenchProfile() (stop func()) {
	dir := os.Getenv("BENCH_PROFILE_DIR")
	if dir == "" {
		return func() {}
	}
	base := filepath.Join(dir, fmt.Sprintf("%d", os.Getpid()))
	cpu, err := os.Create(base + ".cpu.pprof") //nolint:gosec // G304: the bench names the directory; this build is never shipped
	if err != nil || pprof.StartCPUProfile(cpu) != nil {
		return func() {}
	}
	stopHeap := sampleHeap(base + ".heap.txt")
	return func() {
		stopHeap()
		pprof.StopCPUProfile()
		_ = cpu.Close()
		if heap, err := os.Create(base + ".heap.pprof"); err == nil { //nolint:gosec // G304: as above
			runtime.GC()
			_ = pprof.Lookup("allocs").WriteTo(heap, 0)
			_ = heap.Close()
		}
	}
}

// sampleHeap records the largest live heap and total heap memory seen
// (every 5 ms) and the number of GC cycles, written when stop is called.
func sampleHeap(path string) (stop func()) {
	samples := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"}, {Name: "/gc/cycles/total:gc-cycles"}}
	var maxLive, maxTotal uint64
	maxGoroutines := 0
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			if live := samples[0].Value.Uint64(); live > maxLive+maxLive/10 {
				maxLive = live
				// The heap profile is as of the last GC, the live heap's peak.
				if f, err := os.Create(path + ".peak.pprof"); err == nil { //nolint:gosec // G304: as above
					_ = pprof.Lookup("heap").WriteTo(f, 0)
					_ = f.Close()
				}
			}
			maxTotal = max(maxTotal, samples[1].Value.Uint64())
			maxGoroutines = max(maxGoroutines, runtime.NumGoroutine())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		msg := fmt.Sprintf("max live heap %.1f MB, max runtime memory %.1f MB, %d GC cycles, max %d goroutines\n",
			float64(maxLive)/1e6, float64(maxTotal)/1e6, samples[2].Value.Uint64(), maxGoroutines)
		if f, err := os.Create(path + ".goroutines.txt"); err == nil { //nolint:gosec // G304: as above
			_ = pprof.Lookup("goroutine").WriteTo(f, 1)
			_ = f.Close()
		}
		_ = os.WriteFile(path, []byte(msg), 0o600) //nolint:gosec // G703: as above
	}
}
