package client

import "context"

// WriteKind names the client method that made a write. Its value is the
// method's name, so a test can hold the list against the methods.
type WriteKind string

// Every call that may change what the platform stores.
const (
	WriteCreateDatabase     WriteKind = "CreateDatabase"
	WriteUpdateDatabase     WriteKind = "UpdateDatabase"
	WriteDeleteDatabase     WriteKind = "DeleteDatabase"
	WriteUpdateMonitoring   WriteKind = "UpdateMonitoring"
	WritePutSchedule        WriteKind = "PutSchedule"
	WriteDeleteSchedule     WriteKind = "DeleteSchedule"
	WriteCreateBackup       WriteKind = "CreateBackup"
	WriteDeleteBackup       WriteKind = "DeleteBackup"
	WritePinBackup          WriteKind = "PinBackup"
	WritePutBackupPolicy    WriteKind = "PutBackupPolicy"
	WriteDeleteBackupPolicy WriteKind = "DeleteBackupPolicy"
	WriteRotateBackups      WriteKind = "RotateBackups"
	// WriteBackupFinished is not a request: the platform runs a backup
	// after its POST answered, and its row (status, size, the database's
	// lastBackup) changes when it ends. WaitForBackup reports the end it
	// saw, so that a read after it sees the finished backup.
	WriteBackupFinished WriteKind = "WaitForBackup"
)

// WriteKinds lists every kind, for tests that must cover each.
func WriteKinds() []WriteKind {
	return []WriteKind{
		WriteCreateDatabase, WriteUpdateDatabase, WriteDeleteDatabase, WriteUpdateMonitoring,
		WritePutSchedule, WriteDeleteSchedule,
		WriteCreateBackup, WriteDeleteBackup, WritePinBackup, WriteBackupFinished,
		WritePutBackupPolicy, WriteDeleteBackupPolicy, WriteRotateBackups,
	}
}

// Write is one write that may have changed the platform: it succeeded,
// or its outcome is unknown (no answer, a 5xx, the caller gave up). A
// write the platform refused with a 4xx changed nothing and is not
// reported. The ids are those the call named; "" where it named none.
type Write struct {
	Kind          WriteKind
	EnvironmentID string
	DatabaseID    string
	BackupID      string
}

// OnWrite sets the function told of every write, once it is over (the
// provider's batched readers drop the cached lists it changed). Set it
// before the client is shared; it must be safe for concurrent use.
func (c *Client) OnWrite(f func(context.Context, Write)) { c.onWrite = f }

// wrote tells the OnWrite function of w.
func (c *Client) wrote(ctx context.Context, w Write) {
	if c.onWrite != nil {
		c.onWrite(ctx, w)
	}
}

// mayHaveChanged says whether an attempt's outcome leaves the platform
// possibly changed: it answered 2xx, or a 5xx (which a platform may send
// after committing) other than the rate limit, or no answer was read. A
// 4xx is a refusal that changed nothing, and so is the rate limit, which
// the platform checks before the handler runs.
func mayHaveChanged(resp *response, sendErr error) bool {
	return sendErr != nil || resp.ok() || (resp.status >= 500 && !rateLimited(resp))
}
