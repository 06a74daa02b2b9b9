package provider

import (
	"testing"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

func TestDatabaseDataFromAPI(t *testing.T) {
	empty, done, cron := "", "2026-11-26T10:00:00.000Z", "0 2 * * *"
	db := &client.Database{
		ID: "c1", Name: "orders", Type: "postgres", EnvironmentID: "e1", Host: &empty, HasCredentials: true,
		BackupStorageType: "local", BackupFormat: "plain", BackupCompression: "none", BackupCompressionLevel: 6,
		PgDumpTimeoutMs: 300000, PgDumpOptions: &client.PgDumpOptions{Clean: ptr(true)},
		LastBackup: &client.Backup{ID: "b1", Status: "completed", Type: "scheduled", CreatedAt: done, CompletedAt: &done},
		Schedule:   &client.ScheduleSummary{Enabled: false, CronExpression: cron},
	}
	m := databaseDataFromAPI(db)

	if !m.Host.IsNull() {
		t.Errorf(`host "" must read as null like in the resource, got %s`, m.Host)
	}
	if !m.HasCredentials.ValueBool() {
		t.Error("has_credentials lost")
	}
	if m.PgDumpOptions == nil || !m.PgDumpOptions.Clean.ValueBool() || m.PgDumpOptions.NoOwner.ValueBool() {
		t.Errorf("pg_dump_options = %+v, want clean only", m.PgDumpOptions)
	}
	if b := m.LastBackup; b == nil || b.ID.ValueString() != "b1" || b.Status.ValueString() != "completed" ||
		b.Kind.ValueString() != "scheduled" || b.Type.ValueString() != "scheduled" || b.CompletedAt.ValueString() != done {
		t.Errorf("last_backup = %+v", m.LastBackup)
	}
	if s := m.Schedule; s == nil || s.CronExpression.ValueString() != cron || s.Enabled.ValueBool() ||
		!s.LastRunAt.IsNull() || !s.NextRunAt.IsNull() {
		t.Errorf("schedule = %+v", m.Schedule)
	}

	// GET /api/databases/{id} carries neither: both read as null.
	db.LastBackup, db.Schedule = nil, nil
	if m := databaseDataFromAPI(db); m.LastBackup != nil || m.Schedule != nil {
		t.Errorf("absent last backup and schedule must be null, got %+v %+v", m.LastBackup, m.Schedule)
	}
	running := &client.Backup{ID: "b2", Status: "running", CreatedAt: done}
	if b := lastBackupFromAPI(running); !b.CompletedAt.IsNull() {
		t.Errorf("a running backup has no completed_at, got %s", b.CompletedAt)
	}
}

func TestBackupScheduleConversions(t *testing.T) {
	next := "2026-11-27T02:00:00.000Z"
	m := backupScheduleFromAPI("db1", &client.Schedule{ID: "sched-9", DatabaseID: "db1", CronExpression: "0 2 * * *",
		RetentionDays: 7, Enabled: true, NextRunAt: &next})
	if m.ID.ValueString() != "db1" {
		t.Errorf("id = %s, want the database id so import and id agree", m.ID)
	}
	if !m.LastRunAt.IsNull() || m.NextRunAt.ValueString() != next {
		t.Errorf("run times = %s %s", m.LastRunAt, m.NextRunAt)
	}
	in := backupScheduleToAPI(m)
	if in.CronExpression != "0 2 * * *" || in.RetentionDays == nil || *in.RetentionDays != 7 || in.Enabled == nil || !*in.Enabled {
		t.Errorf("PUT body %+v must carry every field: PUT resets omitted ones", in)
	}
}
