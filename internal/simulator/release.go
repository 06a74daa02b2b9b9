package simulator

import (
	"fmt"
	"strings"
)

// Release is a platform release the simulator acts as (Options.Release).
type Release string

// The releases the simulator can act as.
const (
	// ReleaseLatest is the build the contract was recorded from (BridgePort
	// 0677ce979a57, a few dependency bumps after v3.0.2); the zero value.
	ReleaseLatest Release = ""
	// Release2_3_0 is BridgePort v2.3.0, the last release before 3.0.0, as
	// the contract's section on it records it.
	Release2_3_0 Release = "2.3.0"
)

// releaseTraits is what differs between the releases: every behaviour that
// differs asks these, so a release is described once, here.
type releaseTraits struct {
	name Release
	// retention: 3.0.0 added retention policies (…/backup-policy and its
	// preview), rotation (…/rotate), pins (…/backups/{backupId}/pin) and the
	// backup fields isPinned, pinnedById, pinnedAt and lastRotationError.
	// Before it, a scheduled run deleted the database's scheduled backups
	// older than the schedule's retentionDays instead.
	retention bool
	// rateLimited429: the newest build answers a rate-limited request 429
	// RATE_LIMITED; v2.3.0's error handler did not recognise the rate
	// limit's answer and sent a bare 500 INTERNAL (with the same headers).
	rateLimited429 bool
	// contention503: the newest build answers storage contention 503 with
	// retry-after: 1; v2.3.0 has no such answer, its storage errors are a
	// bare 500.
	contention503 bool
	// limitsOutsideAPI: v2.3.0's rate limit covers every path but /health,
	// /openapi.json included; the newest build's only /api/ paths.
	limitsOutsideAPI bool
}

var releases = map[Release]releaseTraits{
	ReleaseLatest: {retention: true, rateLimited429: true, contention503: true},
	Release2_3_0:  {limitsOutsideAPI: true},
}

// String is the release's name as ParseRelease takes it.
func (r Release) String() string {
	if r == ReleaseLatest {
		return "latest"
	}
	return string(r)
}

// Releases lists the names ParseRelease takes, the newest first.
func Releases() []string { return []string{ReleaseLatest.String(), Release2_3_0.String()} }

// ParseRelease reads a release name as the command's -release flag takes
// it: "latest" (or "") or "2.3.0".
func ParseRelease(name string) (Release, error) {
	switch name {
	case "", "latest":
		return ReleaseLatest, nil
	}
	if _, ok := releases[Release(name)]; ok {
		return Release(name), nil
	}
	return "", fmt.Errorf("unknown platform release %q: want one of %s", name, strings.Join(Releases(), ", "))
}

// traitsOf is the release's traits; an unknown release is a programming
// error in the caller (the command checks its flag with ParseRelease).
func traitsOf(r Release) releaseTraits {
	t, ok := releases[r]
	if !ok {
		panic(fmt.Sprintf("simulator: unknown platform release %q", r))
	}
	t.name = r
	return t
}

// errNoRetention is what the out-of-band helpers of retention policies and
// pins return on a release without them.
func (t releaseTraits) errNoRetention(what string) error {
	return fmt.Errorf("platform release %s has no %s (3.0.0 added them)", t.name, what)
}
