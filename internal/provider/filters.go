package provider

import (
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/validators"
)

// The filters that a data source and the list resource over the same
// objects both take, declared once: a `terraform query` finds what the data
// source would, and their docs say the same. The two kinds of schema have
// their own attribute types, hence one constructor for each.

// databaseFilters are platform_databases' filters, and the platform_database
// list resource's configuration.
type databaseFilters struct {
	EnvironmentID types.String `tfsdk:"environment_id"`
	Type          types.String `tfsdk:"type"`
	NameRegex     types.String `tfsdk:"name_regex"`
}

// backupFilters are platform_database_backups' filters, and the
// platform_database_backup list resource's configuration.
type backupFilters struct {
	DatabaseID types.String `tfsdk:"database_id"`
	Status     types.String `tfsdk:"status"`
	Kind       types.String `tfsdk:"kind"`
	Pinned     types.Bool   `tfsdk:"pinned"`
}

// matches applies the filters; the platform's list ignores any filter
// parameter, so the provider filters what it received.
func (f backupFilters) matches(b *client.Backup) bool {
	return (f.Status.IsNull() || f.Status.ValueString() == b.Status) &&
		(f.Kind.IsNull() || f.Kind.ValueString() == b.Type) &&
		(f.Pinned.IsNull() || f.Pinned.ValueBool() == b.IsPinned)
}

// compileNameRegex compiles a name_regex filter: nil when it is unset. Its
// validator rejects a bad expression when Terraform validates the
// configuration; a caller that skipped validation gets the same error on
// name_regex here, with ok false, rather than a panic.
func compileNameRegex(nameRegex types.String, diags *diag.Diagnostics) (re *regexp.Regexp, ok bool) {
	if nameRegex.IsNull() {
		return nil, true
	}
	re, d := validators.CompileRegexp(path.Root("name_regex"), nameRegex.ValueString())
	if d != nil {
		diags.Append(d)
		return nil, false
	}
	return re, true
}

// stringFilter is a string attribute of such a filter: required (what to
// list) or optional (a filter).
type stringFilter struct {
	required    bool
	description string
	validators  []validator.String
}

func (f stringFilter) dataSource() dsschema.StringAttribute {
	return dsschema.StringAttribute{Required: f.required, Optional: !f.required, Description: f.description, Validators: f.validators}
}

func (f stringFilter) list() listschema.StringAttribute {
	return listschema.StringAttribute{Required: f.required, Optional: !f.required, Description: f.description, Validators: f.validators}
}

var (
	environmentIDFilter = stringFilter{
		required:    true,
		description: "Id of the environment to list. An environment the token cannot see is an error.",
		validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	databaseTypeFilter = stringFilter{
		description: "Only databases of this type (exact match), for example `postgres`.",
		validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	nameRegexFilter = stringFilter{
		description: "Only databases whose name matches this regular expression (Go RE2 syntax, unanchored: " +
			"use `^…$` to match whole names).",
		validators: []validator.String{validators.RegexpSyntax()},
	}
	databaseIDFilter = stringFilter{
		required:    true,
		description: "Id of the database whose backups to list.",
		validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	backupStatusFilter = stringFilter{
		description: "Only backups with this status: one of " + backticks(backupStatuses) + ".",
		validators:  []validator.String{stringvalidator.OneOf(backupStatuses...)},
	}
	backupKindFilter = stringFilter{
		description: "Only backups of this kind: `manual` or `scheduled`.",
		validators:  []validator.String{stringvalidator.OneOf(backupKinds...)},
	}
)

const backupPinnedFilterDescription = "Only pinned (`true`) or only unpinned (`false`) backups."
