package validators

import (
	"context"
	"net/url"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// absoluteHTTPURL rejects endpoints that are not absolute http(s) URLs at
// validate time, when the value is written in configuration.
func AbsoluteHTTPURL() validator.String { return absoluteHTTPURLValidator{} }

type absoluteHTTPURLValidator struct{}

func (absoluteHTTPURLValidator) Description(context.Context) string {
	return "value must be an absolute http(s) URL"
}

func (v absoluteHTTPURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (absoluteHTTPURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := CheckAbsoluteHTTPURL(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid platform endpoint", msg)
	}
}

// checkAbsoluteHTTPURL returns a user-facing reason why s is not usable as
// the endpoint, or "" when it is.
func CheckAbsoluteHTTPURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || !validPort(u.Port()) {
		return "endpoint must be an absolute http(s) URL such as https://deploy.example.com, got " + quote(s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "endpoint must not carry a query or fragment, got " + quote(s)
	}
	return ""
}

func quote(s string) string { return "\"" + s + "\"" }

// validPort: url.Parse accepts any digits as a port, and a dial to port
// 99999 fails only after every retry.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}
