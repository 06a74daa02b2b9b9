package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// Backup statuses. A backup starts pending or in_progress and ends
// completed or failed.
const (
	BackupPending    = "pending"
	BackupInProgress = "in_progress"
	BackupCompleted  = "completed"
	BackupFailed     = "failed"
)

// defaultBackupPageSize lists a database's backups in one request in the
// usual case: the list has no upper cap on limit.
const defaultBackupPageSize = 500

// Finished reports whether the backup reached completed or failed.
func (b *Backup) Finished() bool {
	return b.Status == BackupCompleted || b.Status == BackupFailed
}

// BackupFailure is why a backup failed, decoded from the platform's error
// field, which holds a JSON-encoded string
// {"message","step","stderr"?,"exitCode"?} rather than an object.
type BackupFailure struct {
	Message string `json:"message"`
	// Step is "connect", "dump" or "upload".
	Step     string `json:"step"`
	Stderr   string `json:"stderr"`
	ExitCode *int64 `json:"exitCode"`
}

// Failure decodes the backup's error; nil when there is none. An error
// that is not the JSON the platform writes is kept whole as the message.
func (b *Backup) Failure() *BackupFailure {
	if b.Error == nil || *b.Error == "" {
		return nil
	}
	var f BackupFailure
	if err := json.Unmarshal([]byte(*b.Error), &f); err != nil || f.Message == "" {
		return &BackupFailure{Message: *b.Error}
	}
	return &f
}

// BackupPage is one page of GET /api/databases/{id}/backups, newest first.
type BackupPage struct {
	Backups []Backup `json:"backups"`
	// Total counts every backup row of the database, failed ones included.
	Total int `json:"total"`
}

type backupEnvelope struct {
	Backup *Backup `json:"backup"`
}

// CreateBackup starts a manual backup of the database and returns its id.
// The platform answers at once and runs the backup asynchronously (see
// WaitForBackup); it accepts the request even for a database it cannot
// back up, and the backup then fails. The call carries one fresh
// Idempotency-Key, reused only by its own retries, so a retry after a lost
// answer gets the first backup's id rather than a second backup. When ctx
// ends while an attempt's answer is outstanding or was lost, the create is
// settled (see createOnce): the id comes back with the context's error, so
// the backup the platform is taking is never one nobody knows of.
func (c *Client) CreateBackup(ctx context.Context, dbID string) (string, error) {
	if err := requireIDs("database id", dbID); err != nil {
		return "", err
	}
	key, err := newIdempotencyKey()
	if err != nil {
		return "", err
	}
	cl := call{method: http.MethodPost, path: apiPath("databases", dbID, "backups"), idempotencyKey: key,
		write: &Write{Kind: WriteCreateBackup, DatabaseID: dbID}}
	return createOnce(ctx, c, cl, "a backup", c.backupIDCall)
}

func (c *Client) backupIDCall(ctx context.Context, cl call) (string, error) {
	var out struct {
		BackupID string `json:"backupId"`
	}
	if err := c.do(ctx, cl, &out); err != nil {
		return "", err
	}
	if out.BackupID == "" {
		return "", missingObject(&cl, "backupId")
	}
	return out.BackupID, nil
}

// ListBackups reads one page. Negative values are refused here: the
// platform answers a negative limit with the oldest backups and a negative
// offset with a 500.
func (c *Client) ListBackups(ctx context.Context, dbID string, limit, offset int) (*BackupPage, error) {
	if err := requireIDs("database id", dbID); err != nil {
		return nil, err
	}
	if limit < 0 || offset < 0 {
		return nil, fmt.Errorf("list backups: limit (%d) and offset (%d) must not be negative", limit, offset)
	}
	cl := call{
		method: http.MethodGet, path: apiPath("databases", dbID, "backups"),
		query: url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(offset)}},
	}
	var out BackupPage
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Backups == nil {
		out.Backups = []Backup{}
	}
	return &out, nil
}

// ListAllBackups pages through a database's backups, newest first
// (pageSize 0 means 500), with no request per backup. Like
// ListAllDatabases it advances by the items received and fails rather
// than return a short list.
func (c *Client) ListAllBackups(ctx context.Context, dbID string, pageSize int) ([]Backup, error) {
	if pageSize <= 0 {
		pageSize = defaultBackupPageSize
	}
	all := []Backup{}
	for range maxPages {
		page, err := c.ListBackups(ctx, dbID, pageSize, len(all))
		if err != nil {
			return nil, err
		}
		all = append(all, page.Backups...)
		if len(all) >= page.Total {
			return all, nil
		}
		if len(page.Backups) == 0 {
			return nil, fmt.Errorf("listing backups of database %s: the platform announced %d but returned only %d",
				dbID, page.Total, len(all))
		}
	}
	return nil, fmt.Errorf("listing backups of database %s: gave up after %d pages", dbID, maxPages)
}

// GetBackup reads one backup; 404 (IsNotFound) when it is gone. The
// platform's answer also carries the database's encrypted credentials and
// the environment's SSH private key: they are neither decoded nor logged.
func (c *Client) GetBackup(ctx context.Context, id string) (*Backup, error) {
	if err := requireIDs("backup id", id); err != nil {
		return nil, err
	}
	var out backupEnvelope
	cl := call{method: http.MethodGet, path: apiPath("backups", id)}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Backup == nil {
		return nil, missingObject(&cl, "backup")
	}
	return out.Backup, nil
}

// DeleteBackup deletes backup id of database dbID, pinned or not, file and
// row; 404 when it is already gone. The route names only the backup; dbID
// says whose lists the write changes.
func (c *Client) DeleteBackup(ctx context.Context, dbID, id string) error {
	if err := requireIDs("database id", dbID, "backup id", id); err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodDelete, path: apiPath("backups", id),
		write: &Write{Kind: WriteDeleteBackup, DatabaseID: dbID, BackupID: id}}, nil)
}

// PinBackup pins or unpins a backup of the database (idempotent). A pinned
// backup is never deleted by rotation. 404 "Backup not found" when the
// backup belongs to another database.
func (c *Client) PinBackup(ctx context.Context, dbID, backupID string, pinned bool) (*Backup, error) {
	if err := requireIDs("database id", dbID, "backup id", backupID); err != nil {
		return nil, err
	}
	var out backupEnvelope
	cl := call{method: http.MethodPut, path: apiPath("databases", dbID, "backups", backupID, "pin"),
		body: map[string]bool{"pinned": pinned}, write: &Write{Kind: WritePinBackup, DatabaseID: dbID, BackupID: backupID}}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Backup == nil {
		return nil, missingObject(&cl, "backup")
	}
	return out.Backup, nil
}

// Backup polling: the first look soon (a backup the platform cannot take
// fails within a second), then less and less often, since a dump can
// take minutes and every poll counts against the rate limit (which the
// client paces on top of this).
const (
	backupPollFirst = 500 * time.Millisecond
	backupPollMax   = 15 * time.Second
)

// WaitForBackup polls the backup until it is completed or failed, or ctx
// ends, and returns its last state. A failed backup is returned without an
// error: the caller decides what to do with the row. observe, when not
// nil, sees every state polled before the last, for progress reports.
func (c *Client) WaitForBackup(ctx context.Context, id string, observe func(*Backup)) (*Backup, error) {
	wait := backupPollFirst
	for {
		if err := c.sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("waiting for backup %s to finish: %w", id, err)
		}
		b, err := c.GetBackup(ctx, id)
		if err != nil {
			return nil, err
		}
		if b.Finished() {
			c.wrote(ctx, Write{Kind: WriteBackupFinished, DatabaseID: b.DatabaseID, BackupID: id})
			return b, nil
		}
		if observe != nil {
			observe(b)
		}
		wait = min(wait*2, backupPollMax)
	}
}
