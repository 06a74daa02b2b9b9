package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A bad expression is an error on the attribute, whose text names the
// attribute and says what is wrong; null and unknown values wait for a
// known one.
func TestRegexpValidator(t *testing.T) {
	at := path.Root("name_regex")
	cases := map[string]struct {
		value types.String
		want  string // part of the error's detail; "" for no error
	}{
		"valid":          {types.StringValue("^(orders|billing)-"), ""},
		"empty":          {types.StringValue(""), ""},
		"unclosed group": {types.StringValue("("), "name_regex is not a valid regular expression (Go RE2 syntax): error parsing regexp: missing closing )"},
		"bad repetition": {types.StringValue("*orders"), "missing argument to repetition operator"},
		"perl lookahead": {types.StringValue("^(?!tmp)"), "invalid or unsupported Perl syntax"},
		"null":           {types.StringNull(), ""},
		"unknown":        {types.StringUnknown(), ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var resp validator.StringResponse
			RegexpSyntax().ValidateString(context.Background(), validator.StringRequest{Path: at, ConfigValue: tc.value}, &resp)
			if tc.want == "" {
				if len(resp.Diagnostics) != 0 {
					t.Fatalf("diagnostics %v, want none", resp.Diagnostics)
				}
				return
			}
			checkRegexpError(t, resp.Diagnostics, at, tc.want)
		})
	}
}

// CompileRegexp is the validator's check for code that needs the compiled
// expression: the expression, or the validator's error and no expression.
func TestCompileRegexp(t *testing.T) {
	at := path.Root("name_regex")
	re, d := CompileRegexp(at, "^orders-")
	if d != nil || re == nil || !re.MatchString("orders-pg") || re.MatchString("old-orders-pg") {
		t.Fatalf("CompileRegexp(^orders-) = %v, %v; want an expression matching orders-pg only", re, d)
	}
	re, d = CompileRegexp(at, "[a-")
	if re != nil {
		t.Errorf("a bad expression compiled to %v", re)
	}
	checkRegexpError(t, diag.Diagnostics{d}, at, "name_regex is not a valid regular expression (Go RE2 syntax): "+
		"error parsing regexp: missing closing ]: `[a-`")
}

func checkRegexpError(t *testing.T, diags diag.Diagnostics, at path.Path, want string) {
	t.Helper()
	if len(diags) != 1 || diags.ErrorsCount() != 1 {
		t.Fatalf("diagnostics %v, want one error", diags)
	}
	d := diags[0]
	withPath, ok := d.(diag.DiagnosticWithPath)
	if !ok || !withPath.Path().Equal(at) {
		t.Errorf("error %q is not on %s", d.Summary(), at)
	}
	if d.Summary() != "Invalid regular expression" || !strings.Contains(d.Detail(), want) {
		t.Errorf("error %q: %q, want \"Invalid regular expression\" with %q", d.Summary(), d.Detail(), want)
	}
}
