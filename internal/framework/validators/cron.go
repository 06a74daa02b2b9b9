package validators

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// cronField describes one of the five standard cron fields.
type cronField struct {
	name     string
	min, max int
	names    []string // names[i] stands for min+i (jan=1, sun=0); nil when the field has none
}

var cronFields = []cronField{
	{name: "minute", min: 0, max: 59},
	{name: "hour", min: 0, max: 23},
	{name: "day of month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}},
	// 7 is Sunday as well as 0, as in Vixie cron and the common cron libraries.
	{name: "day of week", min: 0, max: 7, names: []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}},
}

// checkCron returns why expr is not a five-field cron expression, or "" when
// it is. The platform stores any non-empty string and only fails when the
// scheduler later tries to use it, so the check runs at plan time instead.
// Macros (@daily) and time-zone prefixes are refused because the platform
// does not document support for them.
func CheckCron(expr string) string {
	fields := strings.Fields(expr)
	if len(fields) != len(cronFields) {
		return fmt.Sprintf("expected 5 fields (minute hour day-of-month month day-of-week), got %d in %q", len(fields), expr)
	}
	for i, f := range fields {
		if msg := cronFields[i].check(f); msg != "" {
			return fmt.Sprintf("%s field %q: %s", cronFields[i].name, f, msg)
		}
	}
	return ""
}

// check validates a comma-separated list of items, each "*", a value or a
// range, optionally followed by "/step".
func (cf cronField) check(field string) string {
	for _, item := range strings.Split(field, ",") {
		if msg := cf.checkItem(item); msg != "" {
			return msg
		}
	}
	return ""
}

func (cf cronField) checkItem(item string) string {
	base, step, hasStep := strings.Cut(item, "/")
	if hasStep {
		n, err := strconv.Atoi(step)
		if err != nil || n < 1 {
			return fmt.Sprintf("step %q must be a positive number", step)
		}
	}
	if base == "*" {
		return ""
	}
	lo, hi, isRange := strings.Cut(base, "-")
	from, msg := cf.value(lo)
	if msg != "" {
		return msg
	}
	if !isRange {
		return ""
	}
	to, msg := cf.value(hi)
	if msg != "" {
		return msg
	}
	if from > to {
		return fmt.Sprintf("range %s starts after it ends", base)
	}
	return ""
}

// value parses a number within the field's bounds or one of its names.
func (cf cronField) value(s string) (int, string) {
	for i, name := range cf.names {
		if strings.EqualFold(s, name) {
			return cf.min + i, ""
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || strings.HasPrefix(s, "+") {
		if cf.names != nil {
			return 0, fmt.Sprintf("%q is neither a number (%d-%d) nor a name (%s)", s, cf.min, cf.max, strings.Join(cf.names, ", "))
		}
		return 0, fmt.Sprintf("%q is not a number (%d-%d)", s, cf.min, cf.max)
	}
	if n < cf.min || n > cf.max {
		return 0, fmt.Sprintf("%d is out of range %d-%d", n, cf.min, cf.max)
	}
	return n, ""
}

// cronExpression validates a five-field cron expression at plan time.
func Cron() validator.String { return cronValidator{} }

type cronValidator struct{}

func (cronValidator) Description(context.Context) string {
	return "value must be a five-field cron expression (minute hour day-of-month month day-of-week)"
}

func (v cronValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (cronValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := CheckCron(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid cron expression",
			"The platform accepts any text here and the schedule would never run: "+msg+".")
	}
}
