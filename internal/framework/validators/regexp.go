package validators

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// regexpSyntax rejects a regular expression Go cannot compile, at plan time.
func RegexpSyntax() validator.String { return regexpSyntaxValidator{} }

type regexpSyntaxValidator struct{}

func (regexpSyntaxValidator) Description(context.Context) string {
	return "value must be a valid regular expression (Go RE2 syntax)"
}

func (v regexpSyntaxValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (regexpSyntaxValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression", err.Error())
	}
}
