//go:build !benchprofile

package process

// StartBenchProfile does nothing outside the benchmark's profiling build
// (profile_bench.go, tag benchprofile).
func StartBenchProfile() (stop func()) { return func() {} }
