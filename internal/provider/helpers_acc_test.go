package provider_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// platformDB is the simulator's record of a database, credentials included,
// so tests can prove what reached the platform.
type platformDB = simulator.Database

func expectEq[T comparable](what string, got, want T) error {
	if got != want {
		return fmt.Errorf("platform %s = %v, want %v", what, got, want)
	}
	return nil
}

func expectAll(errs ...error) error { return errors.Join(errs...) }

// pgDumpString renders the stored pgDumpOptions, "none" when absent or {}.
func pgDumpString(db platformDB) string {
	o := db.PgDumpOptions
	if o == nil {
		return "none"
	}
	var parts []string
	for _, kv := range []struct {
		k string
		v *bool
	}{{"noOwner", o.NoOwner}, {"clean", o.Clean}, {"ifExists", o.IfExists}, {"schemaOnly", o.SchemaOnly}, {"dataOnly", o.DataOnly}} {
		if kv.v != nil {
			parts = append(parts, fmt.Sprintf("%s=%t", kv.k, *kv.v))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

// writeOnlyCheck skips configurations using write-only attributes on CLIs
// that predate them.
func writeOnlyCheck(body string) []tfversion.TerraformVersionCheck {
	if strings.Contains(body, "password_wo") {
		return []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_11_0)}
	}
	return nil
}

// errorText matches diagnostics containing every part, in order, however
// the CLI wrapped the lines: spaces in a part match any white space.
func errorText(parts ...string) *regexp.Regexp {
	quoted := make([]string, len(parts))
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		quoted[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(quoted, ".*"))
}
