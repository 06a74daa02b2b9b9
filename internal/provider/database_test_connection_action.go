package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// NewDatabaseTestConnectionAction is platform_database_test_connection.
func NewDatabaseTestConnectionAction() action.Action {
	return &databaseTestConnectionAction{actionBase{name: "database_test_connection"}}
}

type databaseTestConnectionAction struct {
	actionBase
}

type databaseTestConnectionModel struct {
	EnvironmentID types.String `tfsdk:"environment_id"`
	DatabaseID    types.String `tfsdk:"database_id"`
}

func (a *databaseTestConnectionAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Asks the platform to connect to a `platform_database` with the host, port and credentials it " +
			"holds, as its backups and monitoring will, and fails with the platform's reason (connection refused, " +
			"unknown host, timed out, authentication failed, a type the platform cannot test) when it cannot. On success " +
			"it reports the latency and the server version. Trigger it after the database's create and update, so a wrong " +
			"host or password fails the apply instead of the first backup. Changes nothing. Needs Terraform ≥ 1.14 and a " +
			"token with the operator or admin role (an environment-scoped one will do).",
		Attributes: map[string]schema.Attribute{
			"environment_id": schema.StringAttribute{
				Required: true,
				Description: "Id of the database's environment (`platform_database.<name>.environment_id`): the " +
					"platform's route carries it, which is what lets an environment-scoped token test its databases.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"database_id": schema.StringAttribute{
				Required:    true,
				Description: "Id of the database to connect to.",
				Validators:  []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

func (a *databaseTestConnectionAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg databaseTestConnectionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if !a.ready(&resp.Diagnostics) {
		return
	}
	envID, dbID := cfg.EnvironmentID.ValueString(), cfg.DatabaseID.ValueString()
	progress(resp, fmt.Sprintf("Asking the platform to connect to database %q", dbID))
	res, err := a.data.client.TestConnection(ctx, envID, dbID)
	if err != nil {
		name := a.databaseName(ctx, envID, dbID)
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Could not test the connection to database %s", name), err,
			testConnectionAdvice(err))
		return
	}
	if !res.Success {
		reason := "the platform gave no reason"
		if res.Error != nil && *res.Error != "" {
			reason = *res.Error
		}
		name := a.databaseName(ctx, envID, dbID)
		resp.Diagnostics.AddAttributeError(path.Root("database_id"), fmt.Sprintf("The platform cannot connect to database %s", name),
			joinNonEmpty(fmt.Sprintf("The platform tried to connect to database %s (id %s) with the settings and credentials it "+
				"holds, and failed: %s", name, dbID, reason), connectionFailureAdvice(reason)))
		return
	}
	tflog.Info(ctx, "connection test passed", map[string]any{"database_id": dbID, "latency_ms": res.LatencyMs})
	progress(resp, connectedMessage(fmt.Sprintf("%q", dbID), res))
}

// databaseName is how errors name the database: its name from the
// environment's list, or its id when that fails. Only a failed test looks
// it up: the list is often not cached when an action runs (the change that
// triggered it invalidated it), and a passing test, named by its id, need
// not spend a request on it. An environment-scoped token can list its
// environments, so this works with every token that can test at all.
func (a *databaseTestConnectionAction) databaseName(ctx context.Context, envID, dbID string) string {
	db, err := a.data.databases.Get(ctx, envID, dbID)
	if err != nil || db == nil || db.Name == "" {
		return fmt.Sprintf("%q", dbID)
	}
	return fmt.Sprintf("%q", db.Name)
}

func connectedMessage(name string, res *client.ConnectionTest) string {
	msg := fmt.Sprintf("The platform connected to database %s", name)
	if res.LatencyMs != nil {
		msg += fmt.Sprintf(" in %d ms", *res.LatencyMs)
	}
	if res.ServerVersion != nil && *res.ServerVersion != "" {
		msg += ": " + *res.ServerVersion
	}
	return msg
}

// testConnectionAdvice explains the refusals of the route itself.
func testConnectionAdvice(err error) string {
	switch {
	case client.IsNotFound(err):
		return "The platform has no such database (any more); check database_id."
	case client.IsForbiddenScope(err):
		return "The provider's token is scoped to environments other than environment_id. Set environment_id to the " +
			"database's own environment (platform_database.<name>.environment_id), or use a token with access to it."
	}
	return ""
}

// connectionAdvice is what to check for the platform's failure messages,
// which are its drivers' words: the first rule whose fragment the message
// contains applies.
var connectionAdvice = []struct {
	fragments []string
	advice    string
}{
	{[]string{"ECONNREFUSED", "Connection refused"},
		"Nothing accepts connections at the database's host and port, as seen from the platform's host: check host and " +
			"port, and that the database is running and listens on that address."},
	{[]string{"ENOTFOUND", "EAI_AGAIN", "could not translate host name"},
		"The platform cannot resolve the database's host name: check host. It must resolve on the platform's host, not " +
			"only on this machine."},
	{[]string{"authentication failed", "Access denied", "WRONGPASS", "NOAUTH", "invalid password"},
		"The database refused the credentials the platform holds: check username and password (with password_wo, raise " +
			"password_wo_version so the next apply sends the new one)."},
	{[]string{"timeout", "ETIMEDOUT", "timed out"},
		"The database did not answer in time: a firewall dropping packets, a port that belongs to something else, or a " +
			"database too busy to answer. Check host and port, and what can reach them from the platform's host."},
	{[]string{"Unsupported database type"},
		"The platform can test connections to postgres, mysql, redis and (on a server) sqlite databases only; do not " +
			"trigger this action for this database."},
	{[]string{"require a server"},
		"The platform tests a sqlite database on its server over SSH: set server_id on the database."},
	{[]string{"SSH key not configured"},
		"The platform reaches the database's server over SSH with the environment's key, and the environment has none: " +
			"add one in the platform's environment settings."},
}

func connectionFailureAdvice(message string) string {
	lower := strings.ToLower(message)
	for _, rule := range connectionAdvice {
		for _, f := range rule.fragments {
			if strings.Contains(lower, strings.ToLower(f)) {
				return rule.advice
			}
		}
	}
	return ""
}
