package process

import (
	"os"
	"runtime/debug"
)

// Garbage collector settings for the provider process, used unless the
// environment sets GOGC or GOMEMLIMIT itself.
//
// terraform-plugin-framework allocates heavily on every RPC (each schema
// path lookup copies the attribute map) while the provider's live heap stays
// small and flat: a few MB of in-flight requests and the latest database
// list. With Go's default GOGC=100 the collector ran several hundred times
// per plan of 500 databases and took about a third of the provider's CPU.
// Collecting at 5× the live heap instead, capped by a soft limit so the
// process stays well under 60 MB, leaves a large plan CPU for the work.
const (
	gcPercent   = 400
	memoryLimit = 36 << 20
)

type gcSettings struct {
	percent int   // -1: leave as it is
	limit   int64 // -1: leave as it is
}

func chooseGC(getenv func(string) string) gcSettings {
	s := gcSettings{percent: -1, limit: -1}
	if getenv("GOGC") == "" {
		s.percent = gcPercent
	}
	if getenv("GOMEMLIMIT") == "" {
		s.limit = memoryLimit
	}
	return s
}

// TuneGC applies the provider binary's garbage collector settings, except
// where GOGC or GOMEMLIMIT say otherwise.
func TuneGC() {
	s := chooseGC(os.Getenv)
	if s.percent >= 0 {
		debug.SetGCPercent(s.percent)
	}
	if s.limit >= 0 {
		debug.SetMemoryLimit(s.limit)
	}
}
