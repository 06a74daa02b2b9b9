package api

import (
	"fmt"
	"strconv"
	"strings"
)

// The platform releases the provider supports: OldestRelease and every
// later one. A release adds to the API and removes nothing (the
// platform's API stability policy: additive-only minors), so what an
// older release lacks is a list of features, each with the release that
// added it.
const (
	OldestRelease = "2.3.0"
	// RouteNotFoundMessage is the message of the platform's catch-all 404
	// for a path it has no route for. An unknown object on a route it has
	// is named instead ("Database not found", "Backup not found").
	RouteNotFoundMessage = "Not found"
)

// Feature is a part of the API that a release after OldestRelease added.
type Feature struct {
	Name  string // what it is, for people: "backup retention policies"
	Since string // the release that added it
	// Uses names what in the provider needs it.
	Uses string
	// Paths are its route templates, as the platform's /openapi.json
	// lists them.
	Paths []string
}

// Features of the platform the provider uses that OldestRelease lacks.
var (
	FeatureRetentionPolicies = Feature{
		Name: "backup retention policies", Since: "3.0.0",
		Uses:  "the platform_database_backup_policy resource and data source and the platform_database_apply_retention action",
		Paths: []string{"/api/databases/{id}/backup-policy", "/api/databases/{id}/backup-policy/preview"},
	}
	FeatureRotation = Feature{
		Name: "backup rotation", Since: "3.0.0",
		Uses:  "the platform_database_apply_retention action",
		Paths: []string{"/api/databases/{id}/rotate"},
	}
	FeaturePins = Feature{
		Name: "pinned backups", Since: "3.0.0",
		Uses:  "pinned = true on platform_database_backup and pin on the platform_database_create_backup action",
		Paths: []string{"/api/databases/{id}/backups/{backupId}/pin"},
	}
)

// Features lists every Feature, for tests and the compatibility table.
func Features() []Feature {
	return []Feature{FeatureRetentionPolicies, FeatureRotation, FeaturePins}
}

// In reports whether release (as "2.3.0"; "" for the newest) has the
// feature. CheckRelease checks a release first.
func (f Feature) In(release string) bool {
	if release == "" {
		return true
	}
	return compareReleases(release, f.Since) >= 0
}

// CheckRelease checks a platform release named by a person (as "2.3.0"):
// three numbers, OldestRelease or later. "" is the newest and passes.
func CheckRelease(release string) error {
	if release == "" {
		return nil
	}
	if _, err := releaseNumbers(release); err != nil {
		return err
	}
	if compareReleases(release, OldestRelease) < 0 {
		return fmt.Errorf("platform release %s is older than %s, the oldest the provider supports", release, OldestRelease)
	}
	return nil
}

// compareReleases is -1, 0 or 1 as a is before, the same as or after b;
// both are valid (CheckRelease).
func compareReleases(a, b string) int {
	na, _ := releaseNumbers(a)
	nb, _ := releaseNumbers(b)
	for i := range na {
		if na[i] != nb[i] {
			if na[i] < nb[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func releaseNumbers(release string) ([3]int, error) {
	var n [3]int
	parts := strings.Split(release, ".")
	if len(parts) != 3 {
		return n, fmt.Errorf("platform release %q: want three numbers, as 2.3.0", release)
	}
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return n, fmt.Errorf("platform release %q: want three numbers, as 2.3.0", release)
		}
		n[i] = v
	}
	return n, nil
}

// FeatureOfPath returns the feature whose route serves path (as sent,
// /api/databases/abc/rotate, with or without a query).
func FeatureOfPath(path string) (Feature, bool) {
	path, _, _ = strings.Cut(path, "?")
	for _, f := range Features() {
		for _, template := range f.Paths {
			if matchTemplate(template, path) {
				return f, true
			}
		}
	}
	return Feature{}, false
}

// matchTemplate: path has template's segments, any value standing for
// each {placeholder}.
func matchTemplate(template, path string) bool {
	ts, ps := strings.Split(template, "/"), strings.Split(path, "/")
	if len(ts) != len(ps) {
		return false
	}
	for i, t := range ts {
		placeholder := strings.HasPrefix(t, "{") && ps[i] != ""
		if !placeholder && t != ps[i] {
			return false
		}
	}
	return true
}
