package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// durationBetween is the range of a duration attribute. As a validator it
// checks a value written in configuration; parse checks the value where it
// is used, which also covers one that was unknown at validate time or came
// from the environment.
type durationBetween struct {
	min, max time.Duration
	summary  string // of the error, e.g. "Invalid startup timeout"
}

// parse returns the duration, or why raw is not usable (to follow the
// attribute's name).
func (v durationBetween) parse(raw string) (time.Duration, string) {
	d, err := time.ParseDuration(strings.TrimSpace(raw))
	if err != nil {
		return 0, fmt.Sprintf("must be a duration such as \"30s\" or \"2m\", got %q", raw)
	}
	if d < v.min || d > v.max {
		return 0, fmt.Sprintf("must be between %s and %s, got %q", shortDuration(v.min), shortDuration(v.max), raw)
	}
	return d, ""
}

func (v durationBetween) Description(context.Context) string {
	return fmt.Sprintf("value must be a duration between %s and %s", shortDuration(v.min), shortDuration(v.max))
}

func (v durationBetween) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v durationBetween) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, msg := v.parse(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, req.Path.String()+" "+msg)
	}
}
