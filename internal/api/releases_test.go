package api

import "testing"

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
