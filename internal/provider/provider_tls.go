package provider

import (
	"net"
	"net/url"
	"os"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// tlsAttributes are the provider block's TLS settings; https endpoints are
// verified against the system roots unless these say otherwise.
func tlsAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"ca_cert_pem": schema.StringAttribute{
			Optional: true,
			Description: "PEM certificate(s) of a private CA that signed the platform's certificate, trusted in addition to " +
				"the system roots. Conflicts with `ca_cert_file`.",
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.ConflictsWith(path.MatchRoot("ca_cert_file")),
			},
		},
		"ca_cert_file": schema.StringAttribute{
			Optional:    true,
			Description: "Path to a PEM file with the private CA certificate(s); the file form of `ca_cert_pem`.",
			Validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"insecure_skip_verify": schema.BoolAttribute{
			Optional: true,
			Description: "Accept any certificate from the platform. Anyone on the network path can then read the token; " +
				"use only for throwaway test setups. Produces a warning on every run.",
		},
	}
}

// tlsSettings turns the TLS attributes into client settings and warns
// about connections that expose the token.
func tlsSettings(cfg platformProviderModel, endpoint string, diags *diag.Diagnostics) client.TLSConfig {
	out := client.TLSConfig{CACertPEM: cfg.CACertPEM.ValueString(), InsecureSkipVerify: cfg.InsecureSkipVerify.ValueBool()}
	if file := cfg.CACertFile.ValueString(); file != "" {
		pem, err := os.ReadFile(file) //nolint:gosec // G304: reading the file the user named is the point of ca_cert_file
		if err != nil {
			diags.AddAttributeError(path.Root("ca_cert_file"), "Could not read the CA certificate file", err.Error())
			return out
		}
		out.CACertPEM = string(pem)
	}
	if out.CACertPEM != "" && !client.ValidCACertPEM(out.CACertPEM) {
		attr := "ca_cert_pem"
		if !cfg.CACertFile.IsNull() {
			attr = "ca_cert_file"
		}
		diags.AddAttributeError(path.Root(attr), "Invalid CA certificate",
			attr+" holds no PEM certificate: expected one or more -----BEGIN CERTIFICATE----- blocks.")
		return out
	}
	if out.InsecureSkipVerify {
		diags.AddAttributeWarning(path.Root("insecure_skip_verify"), "TLS certificate verification is disabled",
			"insecure_skip_verify = true accepts any certificate, so anyone on the network path can impersonate the platform "+
				"and read the token. Use ca_cert_pem or ca_cert_file to trust a private CA instead.")
	}
	if u, err := url.Parse(endpoint); err == nil && u.Scheme == "http" && !isLoopback(u.Hostname()) {
		diags.AddAttributeWarning(path.Root("endpoint"), "Plain http endpoint",
			"The endpoint "+endpoint+" uses plain http to a host that is not this machine, so the token and database "+
				"passwords cross the network unencrypted. Use https.")
	}
	return out
}

// isLoopback: plain http to this machine is a normal development setup.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
