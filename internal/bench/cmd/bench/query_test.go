package main

import "testing"

func TestSupportsQuery(t *testing.T) {
	for line, want := range map[string]bool{
		"Terraform v1.15.0":          true,
		"Terraform v1.14.3":          true,
		"Terraform v1.14.0-beta1":    true,
		"Terraform v1.13.3":          false,
		"Terraform v1.5.7":           false,
		"Terraform v2.0.0":           true,
		"OpenTofu v1.12.6":           false,
		"Terraform v1.11.4 on amd64": false,
		"":                           false,
	} {
		if got := supportsQuery(line); got != want {
			t.Errorf("supportsQuery(%q) = %t, want %t", line, got, want)
		}
	}
}
