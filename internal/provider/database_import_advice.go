package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

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
