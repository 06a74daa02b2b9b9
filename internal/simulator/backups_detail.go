package simulator

import (
	"encoding/base64"
	"encoding/json"
)

// rawDatabaseRow is the database as the platform's ORM returns it, which
// GET /api/backups/{id} embeds unfiltered: the encrypted credentials and
// their nonce, pgDumpOptions as the JSON string the column holds, and the
// environment with its SSH private key. The simulator fills those with
// fake values (see BackupReadSecrets) so that a client's log masking is
// tested against something real.
type rawDatabaseRow struct {
	ID                   string  `json:"id"`
	Name                 string  `json:"name"`
	Type                 string  `json:"type"`
	EncryptedCredentials *string `json:"encryptedCredentials"`
	CredentialsNonce     *string `json:"credentialsNonce"`
	DatabaseSettings
	// The column holds the options as JSON text; this shadows the
	// settings' object of the same JSON name.
	PgDumpOptions  *string `json:"pgDumpOptions"`
	CreatedAt      string  `json:"createdAt"`
	UpdatedAt      string  `json:"updatedAt"`
	EnvironmentID  string  `json:"environmentId"`
	DatabaseTypeID *string `json:"databaseTypeId"`
	// The collector's columns, which only this raw row shows besides the
	// monitoring summary.
	MonitoringStatus    string         `json:"monitoringStatus"`
	LastCollectedAt     *string        `json:"lastCollectedAt"`
	LastMonitoringError *string        `json:"lastMonitoringError"`
	Server              *serverView    `json:"server"`
	Environment         rawEnvironment `json:"environment"`
}

type rawEnvironment struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	SSHPrivateKey string `json:"sshPrivateKey"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
}

type backupDetail struct {
	backupView
	Database    rawDatabaseRow `json:"database"`
	TriggeredBy *userRef       `json:"triggeredBy"`
}

// fakeCiphertext, fakeNonce and fakeSSHKey are the secret-bearing values a
// single-backup read carries, derived from the ids so tests can look for
// them.
func fakeCiphertext(dbID string) string {
	return base64.StdEncoding.EncodeToString([]byte("simulated-ciphertext:" + dbID))
}

func fakeNonce(dbID string) string {
	return base64.StdEncoding.EncodeToString([]byte("nonce:" + dbID))
}

func fakeSSHKey(envID string) string {
	return "-----BEGIN OPENSSH PRIVATE KEY-----\nc2ltdWxhdGVkLXNzaC1rZXk6" + base64.RawStdEncoding.EncodeToString([]byte(envID)) +
		"\n-----END OPENSSH PRIVATE KEY-----\n"
}

// BackupReadSecrets are the secret values GET /api/backups/{id} returns for
// a backup of the database: encryptedCredentials (when it has
// credentials), credentialsNonce and the environment's sshPrivateKey body.
func (s *Simulator) BackupReadSecrets(databaseID string) []string {
	var out []string
	_ = s.onDatabase(databaseID, func(d *Database) error {
		out = []string{fakeCiphertext(d.ID), fakeNonce(d.ID), "c2ltdWxhdGVkLXNzaC1rZXk6" + base64.RawStdEncoding.EncodeToString([]byte(d.EnvironmentID))}
		return nil
	})
	return out
}

// rawRow renders d as the ORM row. The caller holds the store lock.
func (st *store) rawRow(d *Database) rawDatabaseRow {
	row := rawDatabaseRow{ID: d.ID, Name: d.Name, Type: d.Type, DatabaseSettings: d.DatabaseSettings.clone(),
		CreatedAt: jsTime(d.CreatedAt), UpdatedAt: jsTime(d.UpdatedAt), EnvironmentID: d.EnvironmentID, DatabaseTypeID: d.DatabaseTypeID,
		MonitoringStatus: d.MonitoringStatus, LastCollectedAt: jsTimePtr(d.LastCollectedAt), LastMonitoringError: clonePtr(d.LastMonitoringError)}
	if d.ServerID != nil {
		if sv := st.servers[*d.ServerID]; sv != nil {
			row.Server = &serverView{ID: sv.ID, Name: sv.Name, Hostname: sv.Name, EnvironmentID: sv.EnvironmentID,
				CreatedAt: jsTime(sv.CreatedAt), UpdatedAt: jsTime(sv.CreatedAt)}
		}
	}
	if d.HasCredentials {
		row.EncryptedCredentials, row.CredentialsNonce = ptr(fakeCiphertext(d.ID)), ptr(fakeNonce(d.ID))
	}
	if d.PgDumpOptions != nil {
		raw, _ := json.Marshal(d.PgDumpOptions)
		row.PgDumpOptions = ptr(string(raw))
	}
	if env := st.envs[d.EnvironmentID]; env != nil {
		row.Environment = rawEnvironment{ID: env.ID, Name: env.Name, SSHPrivateKey: fakeSSHKey(env.ID),
			CreatedAt: jsTime(env.CreatedAt), UpdatedAt: jsTime(env.UpdatedAt)}
	}
	return row
}

// getBackupHandler is GET /api/backups/{id}.
func (s *Simulator) getBackupHandler(q *request) reply {
	return s.withBackup(q, func(b *Backup) reply {
		detail := backupDetail{backupView: s.viewBackup(b), Database: s.store.rawRow(s.store.dbs[b.DatabaseID]),
			TriggeredBy: clonePtr(b.triggeredBy)}
		return ok(map[string]any{"backup": detail, "allowDownload": false})
	})
}

var pinRules = []rule{{name: "pinned", kind: kindBool, required: true}}

// pinBackupHandler is PUT /api/databases/{id}/backups/{backupId}/pin. An
// object without a boolean `pinned` is a 400 about `pinned`, no body or
// one that is no object a 400 about the body; validation comes before the
// lookups.
func (s *Simulator) pinBackupHandler(q *request) reply {
	in, issues := validate(q.body, q.hasBody, pinRules, false)
	if len(issues) > 0 {
		return q.fail(errInvalidInput(issues))
	}
	pinned, _ := in.boolean("pinned")
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	b, e := s.store.backupOf(q.params["id"], q.params["backupId"])
	if e != nil {
		return q.fail(e)
	}
	switch {
	case pinned && !b.IsPinned:
		b.IsPinned, b.PinnedAt, b.PinnedByID = true, ptr(s.now()), q.who.token.actorID()
	case !pinned:
		b.IsPinned, b.PinnedAt, b.PinnedByID = false, nil, nil
	}
	return ok(map[string]any{"backup": s.viewBackup(b)})
}
