package provider

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

// databaseModel is a database as the platform stores it: every attribute
// platform_database shares with the data sources, which embed it too, so a
// field added here reaches the resource and both data sources (their
// schemas come from the one attribute table, databaseAttributeTable).
type databaseModel struct {
	ID                     types.String        `tfsdk:"id"`
	EnvironmentID          types.String        `tfsdk:"environment_id"`
	Name                   types.String        `tfsdk:"name"`
	Type                   types.String        `tfsdk:"type"`
	DatabaseTypeID         types.String        `tfsdk:"database_type_id"`
	Host                   types.String        `tfsdk:"host"`
	Port                   fwtypes.WholeNumber `tfsdk:"port"`
	DatabaseName           types.String        `tfsdk:"database_name"`
	FilePath               types.String        `tfsdk:"file_path"`
	UseSSL                 types.Bool          `tfsdk:"use_ssl"`
	ServerID               types.String        `tfsdk:"server_id"`
	BackupStorageType      types.String        `tfsdk:"backup_storage_type"`
	BackupLocalPath        types.String        `tfsdk:"backup_local_path"`
	BackupSpacesBucket     types.String        `tfsdk:"backup_spaces_bucket"`
	BackupSpacesPrefix     types.String        `tfsdk:"backup_spaces_prefix"`
	BackupFormat           types.String        `tfsdk:"backup_format"`
	BackupCompression      types.String        `tfsdk:"backup_compression"`
	BackupCompressionLevel fwtypes.WholeNumber `tfsdk:"backup_compression_level"`
	PgDumpOptions          *pgDumpOptionsModel `tfsdk:"pg_dump_options"`
	PgDumpTimeoutMs        fwtypes.WholeNumber `tfsdk:"pg_dump_timeout_ms"`
	MonitoringEnabled      types.Bool          `tfsdk:"monitoring_enabled"`
	MonitoringIntervalSec  fwtypes.WholeNumber `tfsdk:"monitoring_interval_seconds"`
	HasCredentials         types.Bool          `tfsdk:"has_credentials"`
	CreatedAt              types.String        `tfsdk:"created_at"`
	UpdatedAt              types.String        `tfsdk:"updated_at"`
}

// databaseResourceModel is platform_database in Terraform terms: what the
// platform stores plus what only Terraform holds (the credentials, which
// the platform never returns, force_destroy and the timeouts).
type databaseResourceModel struct {
	databaseModel
	Username          types.String        `tfsdk:"username"`
	Password          types.String        `tfsdk:"password"`
	PasswordWO        types.String        `tfsdk:"password_wo"`
	PasswordWOVersion fwtypes.WholeNumber `tfsdk:"password_wo_version"`
	ForceDestroy      types.Bool          `tfsdk:"force_destroy"`
	Timeouts          timeouts.Value      `tfsdk:"timeouts"`
}

type pgDumpOptionsModel struct {
	NoOwner    types.Bool `tfsdk:"no_owner"`
	Clean      types.Bool `tfsdk:"clean"`
	IfExists   types.Bool `tfsdk:"if_exists"`
	SchemaOnly types.Bool `tfsdk:"schema_only"`
	DataOnly   types.Bool `tfsdk:"data_only"`
}

// databaseFromAPI is the one conversion from the API object to the model.
// The API never returns credentials, so username, password and the
// write-only version are carried over from prior (the plan or the state),
// as are the timeouts and force_destroy, which are Terraform-only.
func databaseFromAPI(db *client.Database, prior databaseResourceModel) databaseResourceModel {
	return databaseResourceModel{
		databaseModel:     databaseModelFromAPI(db),
		Username:          prior.Username,
		Password:          prior.Password,
		PasswordWO:        types.StringNull(),
		PasswordWOVersion: prior.PasswordWOVersion,
		ForceDestroy:      types.BoolValue(prior.ForceDestroy.ValueBool()), // false after an import
		Timeouts:          prior.Timeouts,
	}
}

// databaseModelFromAPI converts what the resource and the data sources
// share, so null and empty values read the same in both.
func databaseModelFromAPI(db *client.Database) databaseModel {
	return databaseModel{
		ID:                     types.StringValue(db.ID),
		EnvironmentID:          types.StringValue(db.EnvironmentID),
		Name:                   types.StringValue(db.Name),
		Type:                   types.StringValue(db.Type),
		DatabaseTypeID:         optionalString(db.DatabaseTypeID),
		Host:                   optionalString(db.Host),
		Port:                   fwtypes.WholeNumberPointer(db.Port),
		DatabaseName:           optionalString(db.DatabaseName),
		FilePath:               optionalString(db.FilePath),
		UseSSL:                 types.BoolValue(db.UseSSL),
		ServerID:               optionalString(db.ServerID),
		BackupStorageType:      types.StringValue(db.BackupStorageType),
		BackupLocalPath:        optionalString(db.BackupLocalPath),
		BackupSpacesBucket:     optionalString(db.BackupSpacesBucket),
		BackupSpacesPrefix:     optionalString(db.BackupSpacesPrefix),
		BackupFormat:           types.StringValue(db.BackupFormat),
		BackupCompression:      types.StringValue(db.BackupCompression),
		BackupCompressionLevel: fwtypes.WholeNumberValue(db.BackupCompressionLevel),
		PgDumpOptions:          pgDumpOptionsFromAPI(db.PgDumpOptions),
		PgDumpTimeoutMs:        fwtypes.WholeNumberValue(db.PgDumpTimeoutMs),
		MonitoringEnabled:      types.BoolValue(db.MonitoringEnabled),
		MonitoringIntervalSec:  fwtypes.WholeNumberValue(db.CollectionIntervalSec),
		HasCredentials:         types.BoolValue(db.HasCredentials),
		CreatedAt:              types.StringValue(db.CreatedAt),
		UpdatedAt:              types.StringValue(db.UpdatedAt),
	}
}

// optionalString maps both null and "" to null: PATCH can only clear a
// string by sending "", which the API then returns as "".
func optionalString(s *string) types.String {
	if s == nil || *s == "" {
		return types.StringNull()
	}
	return types.StringValue(*s)
}

// pgDumpOptionsFromAPI treats a missing object and {} (what clearing leaves)
// as no block; keys missing from a partial object read as false, which is
// pg_dump's own default.
func pgDumpOptionsFromAPI(o *client.PgDumpOptions) *pgDumpOptionsModel {
	if o == nil || (o.NoOwner == nil && o.Clean == nil && o.IfExists == nil && o.SchemaOnly == nil && o.DataOnly == nil) {
		return nil
	}
	return &pgDumpOptionsModel{
		NoOwner:    types.BoolValue(deref(o.NoOwner)),
		Clean:      types.BoolValue(deref(o.Clean)),
		IfExists:   types.BoolValue(deref(o.IfExists)),
		SchemaOnly: types.BoolValue(deref(o.SchemaOnly)),
		DataOnly:   types.BoolValue(deref(o.DataOnly)),
	}
}

// knownStringPointer is nil for a null or unknown value. ValueStringPointer
// gives "" for an unknown one, and the platform answers a create carrying
// "databaseTypeId":"" for a type it does not know with a bare 500.
func knownStringPointer(v types.String) *string {
	if v.IsUnknown() {
		return nil
	}
	return v.ValueStringPointer()
}

// databaseToAPI is the one conversion from the model to the request body.
// Null and unknown values are left out. password is the secret to send:
// the sensitive password or the write-only one read from configuration.
func databaseToAPI(m databaseResourceModel, password types.String) client.DatabaseInput {
	in := client.DatabaseInput{
		Name:                   m.Name.ValueStringPointer(),
		Type:                   m.Type.ValueStringPointer(),
		DatabaseTypeID:         knownStringPointer(m.DatabaseTypeID),
		Host:                   m.Host.ValueStringPointer(),
		Port:                   m.Port.ValueInt64Pointer(),
		DatabaseName:           m.DatabaseName.ValueStringPointer(),
		FilePath:               m.FilePath.ValueStringPointer(),
		UseSSL:                 m.UseSSL.ValueBoolPointer(),
		ServerID:               m.ServerID.ValueStringPointer(),
		BackupStorageType:      m.BackupStorageType.ValueStringPointer(),
		BackupLocalPath:        m.BackupLocalPath.ValueStringPointer(),
		BackupSpacesBucket:     m.BackupSpacesBucket.ValueStringPointer(),
		BackupSpacesPrefix:     m.BackupSpacesPrefix.ValueStringPointer(),
		BackupFormat:           m.BackupFormat.ValueStringPointer(),
		BackupCompression:      m.BackupCompression.ValueStringPointer(),
		BackupCompressionLevel: m.BackupCompressionLevel.ValueInt64Pointer(),
		PgDumpOptions:          pgDumpOptionsToAPI(m.PgDumpOptions),
		PgDumpTimeoutMs:        m.PgDumpTimeoutMs.ValueInt64Pointer(),
	}
	if !m.Username.IsNull() && !m.Username.IsUnknown() {
		in.Username = m.Username.ValueStringPointer()
		in.Password = password.ValueStringPointer()
	}
	return in
}

// pgDumpOptionsToAPI always sends all five keys: PATCH replaces the stored
// object whole, so a partial object would silently drop the others.
func pgDumpOptionsToAPI(o *pgDumpOptionsModel) *client.PgDumpOptions {
	if o == nil {
		return nil
	}
	return &client.PgDumpOptions{
		NoOwner:    ptr(o.NoOwner.ValueBool()),
		Clean:      ptr(o.Clean.ValueBool()),
		IfExists:   ptr(o.IfExists.ValueBool()),
		SchemaOnly: ptr(o.SchemaOnly.ValueBool()),
		DataOnly:   ptr(o.DataOnly.ValueBool()),
	}
}

// databaseUpdateInput is the PATCH body taking state to plan: only the
// fields whose request value differs. It compares the two request bodies
// databaseToAPI makes, key by key, so a new field needs no line here. A
// field removed from configuration is cleared the only way PATCH allows:
// a string with "" (the API rejects null), pg_dump_options with {}; a
// number cannot be cleared, and neither can a server ("" is a server that
// does not exist), so the plan keeps their last value and nothing is sent.
// Credentials are sent as a pair or not at all, because the API ignores a
// username without its password.
func databaseUpdateInput(plan, state databaseResourceModel, password types.String, credentialsChanged bool) client.DatabaseInput {
	to, from := databaseToAPI(plan, password), databaseToAPI(state, state.Password)
	in := diffInputs(to, from)
	if credentialsChanged {
		in.Username, in.Password = ptr(""), ptr("")
		if to.Username != nil {
			in.Username, in.Password = to.Username, to.Password
		}
	}
	return in
}

// unclearable are the request keys PATCH cannot reset once set.
var unclearable = map[string]bool{"serverId": true}

func diffInputs(to, from client.DatabaseInput) client.DatabaseInput {
	to.Username, to.Password, from.Username, from.Password = nil, nil, nil, nil
	toKeys, fromKeys := inputFields(to), inputFields(from)
	patch := map[string]json.RawMessage{}
	for key, v := range toKeys {
		if !bytes.Equal(v, fromKeys[key]) {
			patch[key] = v
		}
	}
	for key, v := range fromKeys {
		if _, kept := toKeys[key]; kept || unclearable[key] {
			continue
		}
		switch v[0] {
		case '"':
			patch[key] = json.RawMessage(`""`)
		case '{':
			patch[key] = json.RawMessage(`{}`)
		}
	}
	var in client.DatabaseInput
	if err := json.Unmarshal(mustJSON(patch), &in); err != nil {
		panic(fmt.Sprintf("databaseUpdateInput: %v", err)) // our own body always decodes
	}
	return in
}

// inputFields is a request body by JSON key; absent fields have no key.
func inputFields(in client.DatabaseInput) map[string]json.RawMessage {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(mustJSON(in), &fields); err != nil {
		panic(fmt.Sprintf("databaseUpdateInput: %v", err))
	}
	return fields
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("databaseUpdateInput: %v", err)) // plain values only
	}
	return b
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
