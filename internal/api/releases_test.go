package api

import (
	"strings"
	"testing"
)

func TestFeatureOfPath(t *testing.T) {
	for path, want := range map[string]string{
		"/api/databases/abc/backup-policy":         FeatureRetentionPolicies.Name,
		"/api/databases/abc/backup-policy/preview": FeatureRetentionPolicies.Name,
		"/api/databases/abc/rotate":                FeatureRotation.Name,
		"/api/databases/abc/backups/b1/pin":        FeaturePins.Name,
		"/api/databases/abc/backups?limit=1":       "",
		"/api/databases/abc":                       "",
		"/api/databases//rotate":                   "",
	} {
		got, ok := FeatureOfPath(path)
		if got.Name != want || ok != (want != "") {
			t.Errorf("FeatureOfPath(%q) = %q, %v; want %q", path, got.Name, ok, want)
		}
	}
}

func TestFeatureIn(t *testing.T) {
	for _, tc := range []struct {
		release string
		want    bool
	}{
		{"", true}, {"2.3.0", false}, {"2.10.0", false}, {"3.0.0", true}, {"3.0.2", true}, {"10.0.0", true},
	} {
		if got := FeaturePins.In(tc.release); got != tc.want {
			t.Errorf("FeaturePins.In(%q) = %v, want %v", tc.release, got, tc.want)
		}
	}
}

func TestCheckRelease(t *testing.T) {
	for release, want := range map[string]string{
		"": "", "2.3.0": "", "3.0.2": "", "12.0.1": "",
		"2.2.9": "older than 2.3.0", "v2.3.0": "three numbers", "2.3": "three numbers", "latest": "three numbers",
		"2.-1.0": "three numbers",
	} {
		err := CheckRelease(release)
		if (err == nil) != (want == "") || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckRelease(%q) = %v, want an error containing %q", release, err, want)
		}
	}
}
