package process

import (
	"os"
	"runtime/debug"
)

// gcPercent is the provider binary's GOGC unless the environment sets one.
//
// terraform-plugin-framework allocates heavily on every RPC (each schema
// path lookup copies the attribute map) while the provider's live heap stays
// small and flat: a few MB of in-flight requests and the latest database
// list. With Go's default of 100 the collector ran a few hundred times per
// provider process in each phase of a 500-database run and took a large
// share of the provider's CPU. At 250 the provider used 20-40% less CPU in
// those phases (make bench against GOGC=100, internal/bench/README.md) for a peak under 50 MB
// with 1000 databases. A soft memory limit was measured too and left out: it saved no
// more CPU, and in a very large environment, whose list alone can hold tens
// of MB, it would make the collector run more often than Go's default.
const gcPercent = 250

// chooseGCPercent is the GOGC to set, or -1 to leave the runtime's.
func chooseGCPercent(getenv func(string) string) int {
	if getenv("GOGC") != "" {
		return -1
	}
	return gcPercent
}

// TuneGC applies the provider binary's garbage collector setting unless
// GOGC says otherwise.
func TuneGC() {
	if p := chooseGCPercent(os.Getenv); p >= 0 {
		debug.SetGCPercent(p)
	}
}
