package acctest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// apiState is the API backend of PlatformState: a real platform read and
// changed through its API with the admin token. A call that cannot reach
// the platform fails the test: no check can be trusted after that.
type apiState struct {
	t   testing.TB
	c   *client.Client
	raw *rawAPI
}

var _ PlatformState = (*apiState)(nil)

const stateCallTimeout = 3 * time.Minute

func (s *apiState) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), stateCallTimeout)
}

func (s *apiState) fatal(what string, err error) {
	s.t.Helper()
	s.t.Fatalf("platform state: %s: %v", what, err)
}

func (s *apiState) CredentialsReadable() bool { return false }

func (s *apiState) Databases(envID string) []simulator.Database {
	s.t.Helper()
	ctx, cancel := s.ctx()
	defer cancel()
	dbs, err := s.c.ListAllDatabases(ctx, envID, 500)
	if err != nil {
		s.fatal("listing the databases of "+envID, err)
	}
	out := make([]simulator.Database, 0, len(dbs))
	for i := range dbs {
		out = append(out, databaseFromAPI(s.t, &dbs[i]))
	}
	return out
}

func (s *apiState) Database(id string) (simulator.Database, bool) {
	s.t.Helper()
	ctx, cancel := s.ctx()
	defer cancel()
	db, err := s.c.GetDatabase(ctx, id)
	if client.IsNotFound(err) {
		return simulator.Database{}, false
	}
	if err != nil {
		s.fatal("reading database "+id, err)
	}
	return databaseFromAPI(s.t, db), true
}

func (s *apiState) PatchDatabase(id string, fields map[string]any) error {
	ctx, cancel := s.ctx()
	defer cancel()
	return s.raw.do(ctx, "PATCH", "/api/databases/"+url.PathEscape(id), fields, nil)
}

func (s *apiState) DeleteDatabase(id string) error {
	ctx, cancel := s.ctx()
	defer cancel()
	return s.c.DeleteDatabase(ctx, id)
}

func (s *apiState) Schedule(databaseID string) (simulator.Schedule, bool) {
	s.t.Helper()
	ctx, cancel := s.ctx()
	defer cancel()
	sc, err := s.c.GetSchedule(ctx, databaseID)
	if err != nil {
		s.fatal("reading the schedule of "+databaseID, err)
	}
	if sc == nil {
		return simulator.Schedule{}, false
	}
	return simulator.Schedule{
		ID: sc.ID, DatabaseID: sc.DatabaseID, CronExpression: sc.CronExpression, RetentionDays: int(sc.RetentionDays),
		Enabled: sc.Enabled, LastRunAt: parseTime(sc.LastRunAt), NextRunAt: parseTime(sc.NextRunAt),
	}, true
}

// backupRow is a backup as the list and GET /api/backups/{id} show it.
type backupRow struct {
	ID          string  `json:"id"`
	DatabaseID  string  `json:"databaseId"`
	Filename    string  `json:"filename"`
	Size        int64   `json:"size"`
	Type        string  `json:"type"`
	Status      string  `json:"status"`
	Error       *string `json:"error"`
	StorageType string  `json:"storageType"`
	StoragePath string  `json:"storagePath"`
	IsPinned    bool    `json:"isPinned"`
	PinnedAt    *string `json:"pinnedAt"`
	CreatedAt   string  `json:"createdAt"`
	CompletedAt *string `json:"completedAt"`
}

func (b backupRow) record() simulator.Backup {
	out := simulator.Backup{ID: b.ID, DatabaseID: b.DatabaseID, Filename: b.Filename, Size: b.Size, Type: b.Type,
		Status: b.Status, Error: b.Error, StorageType: b.StorageType, StoragePath: b.StoragePath,
		IsPinned: b.IsPinned, PinnedAt: parseTime(b.PinnedAt), CompletedAt: parseTime(b.CompletedAt)}
	if t := parseTime(&b.CreatedAt); t != nil {
		out.CreatedAt = *t
	}
	return out
}

// backupSettleTimeout bounds the wait for a started backup to finish; the
// platform fails an unreachable database's dump within a second or so.
const backupSettleTimeout = 60 * time.Second

func (s *apiState) AddBackup(databaseID string) (string, error) {
	ctx, cancel := s.ctx()
	defer cancel()
	var started struct {
		BackupID string `json:"backupId"`
	}
	if err := s.raw.do(ctx, "POST", "/api/databases/"+url.PathEscape(databaseID)+"/backups", map[string]any{}, &started); err != nil {
		return "", err
	}
	// The dump runs asynchronously; deleting the row while it runs would
	// race the platform's own update of it.
	deadline := time.Now().Add(backupSettleTimeout)
	for {
		var got struct {
			Backup backupRow `json:"backup"`
		}
		if err := s.raw.do(ctx, "GET", "/api/backups/"+url.PathEscape(started.BackupID), nil, &got); err != nil {
			return "", err
		}
		if st := got.Backup.Status; st != "pending" && st != "in_progress" {
			return started.BackupID, nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("backup %s still %q after %s", started.BackupID, got.Backup.Status, backupSettleTimeout)
		}
		if err := sleep(ctx, 250*time.Millisecond); err != nil {
			return "", err
		}
	}
}

func (s *apiState) Backups(databaseID string) []simulator.Backup {
	s.t.Helper()
	ctx, cancel := s.ctx()
	defer cancel()
	var page struct {
		Backups []backupRow `json:"backups"`
	}
	err := s.raw.do(ctx, "GET", "/api/databases/"+url.PathEscape(databaseID)+"/backups?limit=1000", nil, &page)
	if isStatus(err, http.StatusNotFound) {
		return nil // gone: the platform deletes no database that has backups
	}
	if err != nil {
		s.fatal("listing the backups of "+databaseID, err)
	}
	var out []simulator.Backup
	for _, b := range page.Backups {
		out = append(out, b.record())
	}
	return out
}

// DeleteBackup deletes through DELETE /api/backups/{id}, the platform's
// only delete route for one backup; the database id is checked here.
func (s *apiState) DeleteBackup(databaseID, backupID string) error {
	ctx, cancel := s.ctx()
	defer cancel()
	var got struct {
		Backup backupRow `json:"backup"`
	}
	if err := s.raw.do(ctx, "GET", "/api/backups/"+url.PathEscape(backupID), nil, &got); err != nil {
		return err
	}
	if got.Backup.DatabaseID != databaseID {
		return fmt.Errorf("backup %s belongs to database %s, not %s", backupID, got.Backup.DatabaseID, databaseID)
	}
	return s.raw.do(ctx, "DELETE", "/api/backups/"+url.PathEscape(backupID), nil, nil)
}

// AddServer registers a server whose hostname is in the reserved .invalid
// domain, so the platform's collector never reaches a real machine.
func (s *apiState) AddServer(envID, name string) string {
	s.t.Helper()
	ctx, cancel := s.ctx()
	defer cancel()
	var out struct {
		Server struct {
			ID string `json:"id"`
		} `json:"server"`
	}
	body := map[string]any{"name": name, "hostname": name + ".invalid"}
	if err := s.raw.do(ctx, "POST", "/api/environments/"+url.PathEscape(envID)+"/servers", body, &out); err != nil {
		s.fatal("registering server "+name, err)
	}
	return out.Server.ID
}

func (s *apiState) DatabaseTypeID(name string) string {
	s.t.Helper()
	ctx, cancel := s.ctx()
	defer cancel()
	var out struct {
		DatabaseTypes []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"databaseTypes"`
	}
	if err := s.raw.do(ctx, "GET", "/api/settings/database-types", nil, &out); err != nil {
		s.fatal("listing the database types", err)
	}
	for _, dt := range out.DatabaseTypes {
		if dt.Name == name {
			return dt.ID
		}
	}
	return ""
}

// databaseFromAPI is the platform's answer as the simulator's record; the
// credentials stay empty (write-only on the platform). The settings share
// the API's JSON names, so they are copied through JSON.
func databaseFromAPI(t testing.TB, d *client.Database) simulator.Database {
	t.Helper()
	out := simulator.Database{ID: d.ID, EnvironmentID: d.EnvironmentID, Name: d.Name, Type: d.Type,
		DatabaseTypeID: d.DatabaseTypeID, HasCredentials: d.HasCredentials}
	raw, err := json.Marshal(d)
	if err == nil {
		err = json.Unmarshal(raw, &out.DatabaseSettings)
	}
	if err != nil {
		t.Fatalf("platform state: database %s as the simulator's record: %v", d.ID, err)
	}
	if t := parseTime(&d.CreatedAt); t != nil {
		out.CreatedAt = *t
	}
	if t := parseTime(&d.UpdatedAt); t != nil {
		out.UpdatedAt = *t
	}
	return out
}

func parseTime(s *string) *time.Time {
	if s == nil || *s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, *s)
	if err != nil {
		return nil
	}
	return &t
}

// SetMonitoring sends the monitoring PATCH under the database's own
// environment (the platform does not check that pairing, so it is read
// first rather than guessed).
func (s *apiState) SetMonitoring(id string, enabled bool, intervalSec int64) error {
	ctx, cancel := s.ctx()
	defer cancel()
	db, err := s.c.GetDatabase(ctx, id)
	if err != nil {
		return err
	}
	_, err = s.c.UpdateMonitoring(ctx, db.EnvironmentID, id, client.MonitoringInput{MonitoringEnabled: &enabled, CollectionIntervalSec: &intervalSec})
	return err
}

func (s *apiState) backupPolicy(databaseID string) (*client.BackupPolicyState, bool) {
	s.t.Helper()
	ctx, cancel := s.ctx()
	defer cancel()
	st, err := s.c.GetBackupPolicy(ctx, databaseID)
	if client.IsNotFound(err) {
		return nil, false
	}
	if err != nil {
		s.fatal("reading the backup policy of "+databaseID, err)
	}
	return st, true
}

func (s *apiState) BackupPolicy(databaseID string) (simulator.RetentionPolicy, string, bool) {
	s.t.Helper()
	st, ok := s.backupPolicy(databaseID)
	if !ok {
		return simulator.RetentionPolicy{}, "", false
	}
	e := st.Effective
	return simulator.RetentionPolicy{Preset: e.Preset, KeepLast: int(e.KeepLast), Daily: int(e.Daily), Weekly: int(e.Weekly),
		Monthly: int(e.Monthly), Yearly: int(e.Yearly), MinFloor: int(e.MinFloor), MaxTotalBytes: e.MaxTotalBytes}, st.Source, true
}

func (s *apiState) HasBackupPolicyOverride(databaseID string) bool {
	s.t.Helper()
	st, ok := s.backupPolicy(databaseID)
	return ok && st.Override != nil
}

// PutBackupPolicy sends the body as given (raw, so a test can write what
// the UI would), confirming deletions as the UI's dialog does.
func (s *apiState) PutBackupPolicy(databaseID string, body map[string]any) error {
	ctx, cancel := s.ctx()
	defer cancel()
	confirmed := map[string]any{"confirm": true}
	for k, v := range body {
		confirmed[k] = v
	}
	return s.raw.do(ctx, "PUT", "/api/databases/"+url.PathEscape(databaseID)+"/backup-policy", confirmed, nil)
}

func (s *apiState) DeleteBackupPolicy(databaseID string) {
	s.t.Helper()
	ctx, cancel := s.ctx()
	defer cancel()
	if _, err := s.c.DeleteBackupPolicy(ctx, databaseID); err != nil {
		s.fatal("deleting the backup policy of "+databaseID, err)
	}
}
