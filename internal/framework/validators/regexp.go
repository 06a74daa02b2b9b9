package validators

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// RegexpSyntax rejects a regular expression Go cannot compile when
// Terraform validates the configuration, as soon as the value is known.
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
	if _, d := CompileRegexp(req.Path, req.ConfigValue.ValueString()); d != nil {
		resp.Diagnostics.Append(d)
	}
}

// CompileRegexp compiles a regular expression a user wrote in the attribute
// at, or returns the error on that attribute that RegexpSyntax reports for
// it. Code that needs the compiled expression calls it rather than
// regexp.MustCompile: a call that skipped validation then gets the same
// error, not a panic.
func CompileRegexp(at path.Path, expr string) (*regexp.Regexp, diag.Diagnostic) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, diag.NewAttributeErrorDiagnostic(at, "Invalid regular expression",
			fmt.Sprintf("%s is not a valid regular expression (Go RE2 syntax): %s", at, err))
	}
	return re, nil
}
