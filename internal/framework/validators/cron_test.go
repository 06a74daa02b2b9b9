package validators

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestCheckCron(t *testing.T) {
	valid := []string{
		"0 2 * * *",
		"*/15 * * * *",
		"0 0 1 1 0",
		"59 23 31 12 7",
		"0 9-17 * * mon-fri",
		"0 9-17/2 * * 1-5",
		"0,30 8,20 1,15 jan,JUL sun",
		"5/10 * * * *",
		"  0   2  *  *  *  ",
		"0 0 * DEC SAT",
	}
	for _, expr := range valid {
		if msg := CheckCron(expr); msg != "" {
			t.Errorf("CheckCron(%q) = %q, want valid", expr, msg)
		}
	}

	invalid := map[string]string{
		"":                  "expected 5 fields",
		"not a cron":        "expected 5 fields",
		"0 2 * *":           "got 4",
		"0 0 2 * * *":       "got 6", // seconds field: not standard cron
		"@daily":            "got 1",
		"60 * * * *":        `minute field "60": 60 is out of range 0-59`,
		"* 24 * * *":        `hour field "24"`,
		"* * 0 * *":         `day of month field "0": 0 is out of range 1-31`,
		"* * 32 * *":        "out of range 1-31",
		"* * * 13 *":        `month field "13"`,
		"* * * foo *":       `"foo" is neither a number (1-12) nor a name`,
		"* * * * 8":         `day of week field "8": 8 is out of range 0-7`,
		"* * * * mon-sun-x": `"sun-x" is neither`,
		"*/0 * * * *":       `step "0" must be a positive number`,
		"*/x * * * *":       `step "x"`,
		"10-5 * * * *":      "range 10-5 starts after it ends",
		"1,,2 * * * *":      `"" is not a number`,
		"-1 * * * *":        `"" is not a number`,
		"+1 * * * *":        `"+1" is not a number`,
		"a * * * *":         `"a" is not a number (0-59)`,
	}
	for expr, want := range invalid {
		msg := CheckCron(expr)
		if !strings.Contains(msg, want) {
			t.Errorf("CheckCron(%q) = %q, want it to contain %q", expr, msg, want)
		}
	}
}

func TestCronValidator(t *testing.T) {
	cases := map[string]struct {
		value   types.String
		wantErr bool
	}{
		"valid":   {types.StringValue("0 2 * * *"), false},
		"invalid": {types.StringValue("0 2 * *"), true},
		"null":    {types.StringNull(), false},
		"unknown": {types.StringUnknown(), false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req := validator.StringRequest{Path: path.Root("cron_expression"), ConfigValue: tc.value}
			var resp validator.StringResponse
			Cron().ValidateString(context.Background(), req, &resp)
			if resp.Diagnostics.HasError() != tc.wantErr {
				t.Fatalf("errors = %v, want error %t", resp.Diagnostics, tc.wantErr)
			}
			if tc.wantErr && !strings.Contains(resp.Diagnostics[0].Detail(), "expected 5 fields") {
				t.Errorf("detail %q does not say what is wrong", resp.Diagnostics[0].Detail())
			}
		})
	}
}
