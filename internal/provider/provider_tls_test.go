package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestTLSSettings_warnings(t *testing.T) {
	tests := []struct {
		endpoint string
		insecure bool
		warnings []string
	}{
		{"https://deploy.example.com", false, nil},
		{"http://127.0.0.1:8080", false, nil},
		{"http://localhost:8080", false, nil},
		{"http://[::1]:8080", false, nil},
		{"http://deploy.example.com", false, []string{"Plain http endpoint"}},
		{"http://10.0.0.5", false, []string{"Plain http endpoint"}},
		{"https://deploy.example.com", true, []string{"TLS certificate verification is disabled"}},
	}
	for _, tt := range tests {
		var diags diag.Diagnostics
		cfg := platformProviderModel{InsecureSkipVerify: types.BoolValue(tt.insecure)}
		got := tlsSettings(cfg, tt.endpoint, &diags)
		if got.InsecureSkipVerify != tt.insecure || diags.HasError() {
			t.Errorf("%s: settings %+v, diags %v", tt.endpoint, got, diags)
		}
		var summaries []string
		for _, d := range diags.Warnings() {
			summaries = append(summaries, d.Summary())
		}
		if len(summaries) != len(tt.warnings) || (len(summaries) > 0 && summaries[0] != tt.warnings[0]) {
			t.Errorf("%s insecure=%t: warnings %q, want %q", tt.endpoint, tt.insecure, summaries, tt.warnings)
		}
	}
}

func TestTLSSettings_caFile(t *testing.T) {
	var diags diag.Diagnostics
	tlsSettings(platformProviderModel{CACertFile: types.StringValue(t.TempDir() + "/missing.pem")}, "https://x", &diags)
	if !diags.HasError() || diags.Errors()[0].Summary() != "Could not read the CA certificate file" {
		t.Errorf("a missing CA file: %v", diags)
	}
}
