package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// Backup kinds (the API's `type`) and statuses, as the platform names them.
var (
	backupKinds    = []string{"manual", "scheduled"}
	backupStatuses = []string{client.BackupPending, client.BackupInProgress, client.BackupCompleted, client.BackupFailed}
)

// backupModel is what platform_database_backup and each entry of
// platform_database_backups show of a backup.
type backupModel struct {
	ID                types.String `tfsdk:"id"`
	Filename          types.String `tfsdk:"filename"`
	Status            types.String `tfsdk:"status"`
	Kind              types.String `tfsdk:"kind"`
	Pinned            types.Bool   `tfsdk:"pinned"`
	Size              types.Int64  `tfsdk:"size"`
	StorageType       types.String `tfsdk:"storage_type"`
	StoragePath       types.String `tfsdk:"storage_path"`
	CreatedAt         types.String `tfsdk:"created_at"`
	CompletedAt       types.String `tfsdk:"completed_at"`
	DurationSeconds   types.Int64  `tfsdk:"duration_seconds"`
	LastRotationError types.String `tfsdk:"last_rotation_error"`
}

// backupFromAPI is the one conversion from the API's backup to the model.
func backupFromAPI(b *client.Backup) backupModel {
	return backupModel{
		ID:                types.StringValue(b.ID),
		Filename:          types.StringValue(b.Filename),
		Status:            types.StringValue(b.Status),
		Kind:              types.StringValue(b.Type),
		Pinned:            types.BoolValue(b.IsPinned),
		Size:              types.Int64PointerValue(b.Size),
		StorageType:       optionalString(&b.StorageType),
		StoragePath:       optionalString(&b.StoragePath),
		CreatedAt:         types.StringValue(b.CreatedAt),
		CompletedAt:       optionalString(b.CompletedAt),
		DurationSeconds:   types.Int64PointerValue(b.DurationSeconds),
		LastRotationError: optionalString(b.LastRotationError),
	}
}

// backupAttribute documents one attribute of backupModel (and the data
// source's error fields): the resource and the data source build their
// schemas from this one table.
type backupAttribute struct {
	name, kind, description string
}

const (
	attrString = "string"
	attrInt    = "int"
	attrBool   = "bool"
)

// backupKindAbout describes a backup's kind wherever one is shown (the
// backup resource, the backups data source and last_backup).
const backupKindAbout = "How the backup was taken: `manual` (on request, as this provider does) or `scheduled` " +
	"(by the database's backup schedule). The platform calls it `type`."

var backupAttributes = []backupAttribute{
	{"id", attrString, "Backup id assigned by the platform."},
	{"filename", attrString, "Name of the backup file."},
	{"status", attrString, "One of " + backticks(backupStatuses) + "."},
	{"kind", attrString, backupKindAbout},
	{"pinned", attrBool, "Whether the backup is pinned, which exempts it from rotation."},
	{"size", attrInt, "Size of the backup file in bytes (0 for a failed backup)."},
	{"storage_type", attrString, "Where the file is stored: `local` or `spaces`."},
	{"storage_path", attrString, "Path of the file on the platform host, or its key in the bucket."},
	{"created_at", attrString, "When the backup started (RFC 3339)."},
	{"completed_at", attrString, "When the backup finished (RFC 3339); null while it runs."},
	{"duration_seconds", attrInt, "How long the backup ran, in whole seconds; null while it runs."},
	{"last_rotation_error", attrString, "Why the platform's last rotation could not delete this backup's file " +
		"(for example a missing SSH key for the server); null when there was none."},
}

// backupErrorAttributes are the data source's fields of a failed backup.
var backupErrorAttributes = []backupAttribute{
	{"error_message", attrString, "Why the backup failed, as the platform reports it; null unless `status` is `failed`."},
	{"error_step", attrString, "The step the backup failed in: `connect`, `dump` or `upload`; null unless `status` is `failed`."},
}
