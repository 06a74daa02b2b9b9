package provider

// What the provider tells users when something about a platform_database
// goes wrong: advice added to the platform's bare answers, the attribute a
// failure points at, and the import warnings. What every resource shares
// (API error rendering, timeouts, roles) is in errors.go; the destroy flow
// itself is in database_destroy.go.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

func createAdvice(err error, envID, name string, timeout time.Duration) string {
	switch {
	case isContextDone(err):
		return timeoutAdvice("create", timeout)
	case client.IsConflict(err):
		return fmt.Sprintf("A database named %q already exists in this environment. To manage it with Terraform, import it:\n"+
			"  terraform import <resource address> %s/%s", name, envID, name)
	case client.IsServerError(err):
		return "The platform answers 500 when environment_id, server_id or database_type_id does not exist. " +
			"Check that all three refer to existing objects."
	}
	return ""
}

// updateAdvice explains the platform's bare 500s: PATCH answers 500 both for
// an id that no longer exists and for a rename onto a taken name.
func (r *databaseResource) updateAdvice(ctx context.Context, err error, id string, plan, state databaseResourceModel, timeout time.Duration) string {
	if isContextDone(err) {
		return timeoutAdvice("update", timeout)
	}
	if client.IsForbiddenScope(err) {
		return scopedTokenAdvice("update")
	}
	if !client.IsServerError(err) {
		return ""
	}
	if _, getErr := r.data.client.GetDatabase(ctx, id); client.IsNotFound(getErr) {
		return "The database no longer exists on the platform. Run terraform apply again: the refresh will notice and plan to create it."
	}
	if !plan.Name.Equal(state.Name) {
		return fmt.Sprintf("The platform answers 500 when renaming onto a taken name: another database in this environment is probably already named %q.",
			plan.Name.ValueString())
	}
	return "The platform answers 500 when server_id does not exist; check it. Otherwise the platform failed; retry later."
}

func deleteAdvice(err error, timeout time.Duration) string {
	if isContextDone(err) {
		return timeoutAdvice("delete", timeout)
	}
	if client.IsForbiddenScope(err) {
		return scopedTokenAdvice("delete")
	}
	if isExistingBackupsRefusal(err) {
		return existingBackupsAdvice()
	}
	return ""
}

// createErrorAttribute picks the attribute a failed create points at when
// the platform does not say: a 409 is about the name, and the bare 500 for
// a missing environment, server or database type is narrowed down with the
// environment list the provider keeps anyway.
func (r *databaseResource) createErrorAttribute(ctx context.Context, err error, plan databaseResourceModel) path.Path {
	switch {
	case client.IsConflict(err):
		return path.Root("name")
	case !client.IsServerError(err):
		return path.Empty()
	}
	if name, envErr := r.data.environmentName(ctx, plan.EnvironmentID.ValueString()); envErr == nil && name == "" {
		return path.Root("environment_id")
	}
	if !plan.ServerID.IsNull() {
		return path.Root("server_id")
	}
	if !plan.DatabaseTypeID.IsNull() && !plan.DatabaseTypeID.IsUnknown() {
		return path.Root("database_type_id")
	}
	return path.Empty()
}

// credentialsAdvice is what the user must add to an adopted database's
// configuration: the platform never returns credentials, so neither the
// imported state nor plan -generate-config-out can carry them.
func credentialsAdvice(name string) string {
	return fmt.Sprintf("Database %q has credentials on the platform, which its API never returns: the imported state and any "+
		"generated configuration have username = null. While username is null Terraform leaves the stored credentials alone. "+
		"To manage them, set username and password (or password_wo and password_wo_version on Terraform/OpenTofu ≥ 1.11) "+
		"in its configuration; the next apply then sends them.", name)
}

// warnUnmanagedCredentials tells, when an import is read, that db's
// credentials are not in the imported state.
func warnUnmanagedCredentials(db *client.Database, diags *diag.Diagnostics) {
	if db != nil && db.HasCredentials {
		diags.AddAttributeWarning(path.Root("username"), "Credentials not imported", credentialsAdvice(db.Name))
	}
}

// warnFailedBackupsDeleted says that a destroy without force_destroy
// deleted the database's failed backups, which is what let it through.
func warnFailedBackupsDeleted(state databaseResourceModel, n int, diags *diag.Diagnostics) {
	diags.AddWarning(fmt.Sprintf("Deleted %d failed backup(s) of database %q", n, state.Name.ValueString()),
		fmt.Sprintf("The platform refuses to delete a database while any backup row exists, failed ones included. Every "+
			"backup of database %q (%s) had failed and held no data, so the provider deleted those %d row(s) to destroy it. "+
			"A database with any other backup still needs force_destroy = true.", state.Name.ValueString(), state.ID.ValueString(), n))
}

// forceDestroyAdvice says how far a force destroy got and that running it
// again finishes the job.
func forceDestroyAdvice(err error) string {
	var e *forceDestroyError
	var f *failedBackupsError
	switch {
	case errors.As(err, &f):
		return fmt.Sprintf("Every backup of the database had failed, so the provider deleted them to let the destroy through, "+
			"but deleting failed backup %s failed. Run terraform destroy again; the database is still there.", f.backupID)
	case !errors.As(err, &e):
		return ""
	case e.backupID == "":
		return "force_destroy could not list the database's backups, so nothing was deleted. Run terraform destroy again."
	}
	return fmt.Sprintf("force_destroy stopped after deleting %d of %d backup(s): deleting backup %s failed. The database and "+
		"its remaining backups are still there; run terraform destroy again: it lists the remaining backups and carries on.",
		e.deleted, e.total, e.backupID)
}

// addBackupsRefusal turns the platform's refusal into an error on
// force_destroy that counts the backups and names the two ways out.
func (r *databaseResource) addBackupsRefusal(ctx context.Context, state databaseResourceModel, err error, resp *resource.DeleteResponse) {
	id, name := state.ID.ValueString(), state.Name.ValueString()
	count := "some"
	if page, listErr := r.data.client.ListBackups(ctx, id, 1, 0); listErr == nil {
		count = fmt.Sprint(page.Total)
	}
	resp.Diagnostics.AddAttributeError(path.Root("force_destroy"), fmt.Sprintf("Could not delete database %q (%s)", name, id),
		joinNonEmpty(describeError(err), fmt.Sprintf("Database %q has %s backup(s), and the platform deletes no database that has "+
			"backups (failed ones included). Failed backups alone would not stop the destroy (the provider deletes those, "+
			"as they hold no data), but this database has others. Either:\n"+
			"  - set force_destroy = true on the database and run terraform apply, then destroy again: the provider then "+
			"deletes its backups, pinned ones too, before the database (they cannot be recovered); or\n"+
			"  - delete the database's backups on the platform (its UI, or platform_database_backup resources), then destroy again.",
			name, count)))
}

// existingBackupsAdvice is for a refusal that force_destroy did not
// overcome: backups kept appearing while the provider deleted them.
func existingBackupsAdvice() string {
	return fmt.Sprintf("The platform still reported backups after %d rounds of deleting them: new backups keep starting "+
		"(a backup schedule?). Disable the schedule or remove platform_database_backup_schedule first, then destroy again.",
		forceDestroyRounds)
}
