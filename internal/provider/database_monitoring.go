package provider

import (
	"context"
	"fmt"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// monitoringInput is the monitoring PATCH that takes what the platform
// holds (from) to what the plan wants (to): only the keys that differ, and
// nil when none do, so a create with the platform's defaults and an update
// that leaves monitoring alone cost no request. PATCH /api/databases/{id}
// silently ignores these two fields; only the monitoring route sets them.
func monitoringInput(to, from databaseModel) *client.MonitoringInput {
	var in client.MonitoringInput
	if !to.MonitoringEnabled.IsUnknown() && !to.MonitoringEnabled.Equal(from.MonitoringEnabled) {
		in.MonitoringEnabled = to.MonitoringEnabled.ValueBoolPointer()
	}
	if !to.MonitoringIntervalSec.IsUnknown() && !to.MonitoringIntervalSec.Equal(from.MonitoringIntervalSec) {
		in.CollectionIntervalSec = to.MonitoringIntervalSec.ValueInt64Pointer()
	}
	if in == (client.MonitoringInput{}) {
		return nil
	}
	return &in
}

// writeMonitoring sends in with the database's own environment id: the
// platform checks the path's environment against the token's scope only,
// never against the database, so any other id would still change it.
func (r *databaseResource) writeMonitoring(ctx context.Context, db databaseModel, in *client.MonitoringInput) error {
	_, err := r.data.client.UpdateMonitoring(ctx, db.EnvironmentID.ValueString(), db.ID.ValueString(), *in)
	if err != nil {
		return fmt.Errorf("setting its monitoring: %w", err)
	}
	return nil
}

// readBack reads a database after a monitoring write, whose answer carries
// neither updatedAt (which the write moves) nor the rest of the database.
// One GET where the token allows it; environment-scoped tokens, which the
// platform refuses on /api/databases/{id}, read it from the list.
func (r *databaseResource) readBack(ctx context.Context, envID, id string) (*client.Database, error) {
	if r.data.databases.CanGet() {
		return r.data.client.GetDatabase(ctx, id)
	}
	return r.data.databases.Get(ctx, envID, id)
}
