package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// BackupPolicy is a GFS retention policy as the platform reports it (the
// effective policy, the global default, or a preview's policy).
type BackupPolicy struct {
	Preset        string `json:"preset"`
	KeepLast      int64  `json:"keepLast"`
	Daily         int64  `json:"daily"`
	Weekly        int64  `json:"weekly"`
	Monthly       int64  `json:"monthly"`
	Yearly        int64  `json:"yearly"`
	MinFloor      int64  `json:"minFloor"`
	MaxTotalBytes *int64 `json:"maxTotalBytes"`
	// Source is "override" or "inherited".
	Source      string `json:"source"`
	AutoApplied bool   `json:"autoApplied"`
}

// BackupPolicyOverride is a database's own policy row. With InheritGlobal
// the row exists but holds the global tiers, and the database counts as
// inheriting.
type BackupPolicyOverride struct {
	ID            string `json:"id"`
	DatabaseID    string `json:"databaseId"`
	InheritGlobal bool   `json:"inheritGlobal"`
	Preset        string `json:"preset"`
	AutoApplied   bool   `json:"autoApplied"`
	KeepLast      int64  `json:"keepLast"`
	Daily         int64  `json:"daily"`
	Weekly        int64  `json:"weekly"`
	Monthly       int64  `json:"monthly"`
	Yearly        int64  `json:"yearly"`
	MinFloor      int64  `json:"minFloor"`
	MaxTotalBytes *int64 `json:"maxTotalBytes"`
	CreatedAt     string `json:"createdAt"`
	UpdatedAt     string `json:"updatedAt"`
}

// BackupPolicyState is GET /api/databases/{id}/backup-policy.
type BackupPolicyState struct {
	Effective     BackupPolicy          `json:"effective"`
	Override      *BackupPolicyOverride `json:"override"`
	GlobalDefault *BackupPolicy         `json:"globalDefault"`
	Source        string                `json:"source"`
}

// BackupPolicyInput is the body of the policy PUT and preview. The PUT
// replaces the whole policy and requires preset and all six tiers, so none
// is omitted; a nil MaxTotalBytes is sent as null, which clears the cap.
type BackupPolicyInput struct {
	Preset        string `json:"preset"`
	KeepLast      int64  `json:"keepLast"`
	Daily         int64  `json:"daily"`
	Weekly        int64  `json:"weekly"`
	Monthly       int64  `json:"monthly"`
	Yearly        int64  `json:"yearly"`
	MinFloor      int64  `json:"minFloor"`
	MaxTotalBytes *int64 `json:"maxTotalBytes"`
	// Confirm allows the PUT to delete more backups than the platform's
	// confirmation threshold; the preview ignores it.
	Confirm bool `json:"confirm,omitempty"`
}

// BackupRef names a backup in a preview.
type BackupRef struct {
	ID        string `json:"id"`
	Filename  string `json:"filename"`
	CreatedAt string `json:"createdAt"`
	Size      int64  `json:"size"`
}

// BackupPolicyPreview is the dry run of a policy: what it keeps and what it
// would delete now. Nothing is deleted by asking.
type BackupPolicyPreview struct {
	Policy               BackupPolicy `json:"policy"`
	Keep                 []BackupRef  `json:"keep"`
	Prune                []BackupRef  `json:"prune"`
	BytesFreed           int64        `json:"bytesFreed"`
	CappedButUnreachable bool         `json:"cappedButUnreachable"`
}

// BackupRotation is what a policy PUT (or a rotation) did: ids kept and
// deleted. A backup the platform failed to delete is in neither list's
// deletions; its lastRotationError says why, and a rotation lists it in
// Errors.
type BackupRotation struct {
	Keep                 []string        `json:"keep"`
	Prune                []string        `json:"prune"`
	BytesFreed           int64           `json:"bytesFreed"`
	CappedButUnreachable bool            `json:"cappedButUnreachable"`
	Errors               []RotationError `json:"errors"`
}

// RotationError is a backup a rotation meant to delete and could not.
type RotationError struct {
	BackupID string `json:"backupId"`
	Error    string `json:"error"`
}

// BackupPolicyResult is the answer of a policy PUT.
type BackupPolicyResult struct {
	Override BackupPolicyOverride `json:"override"`
	Rotation BackupRotation       `json:"rotation"`
}

// ConfirmationRequiredError is the policy PUT's refusal to delete more
// backups than the platform's threshold without confirm:true. The platform
// answers 409 with the dry run and no error envelope; nothing was saved.
type ConfirmationRequiredError struct {
	Method, Path string
	Keep, Prune  []BackupRef
	BytesFreed   int64
}

func (e *ConfirmationRequiredError) Error() string {
	return fmt.Sprintf("%s %s: 409: the platform asks for confirmation before deleting %d backup(s) (%d bytes); nothing was changed",
		e.Method, e.Path, len(e.Prune), e.BytesFreed)
}

// GetBackupPolicy returns the database's effective policy, its override
// row (if any) and the global default. Viewers may call it.
func (c *Client) GetBackupPolicy(ctx context.Context, dbID string) (*BackupPolicyState, error) {
	if err := requireIDs("database id", dbID); err != nil {
		return nil, err
	}
	var out BackupPolicyState
	cl := call{method: http.MethodGet, path: apiPath("databases", dbID, "backup-policy")}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Source == "" {
		return nil, missingObject(&cl, "source")
	}
	return &out, nil
}

// PutBackupPolicy replaces the database's policy. The platform applies it
// in the same request: backups it does not keep are deleted at once. When
// more would be deleted than the platform allows unconfirmed and
// in.Confirm is false, the error is a *ConfirmationRequiredError.
func (c *Client) PutBackupPolicy(ctx context.Context, dbID string, in BackupPolicyInput) (*BackupPolicyResult, error) {
	if err := requireIDs("database id", dbID); err != nil {
		return nil, err
	}
	var out struct {
		Override             *BackupPolicyOverride `json:"override"`
		Rotation             BackupRotation        `json:"rotation"`
		ConfirmationRequired bool                  `json:"confirmationRequired"`
		Preview              *BackupPolicyPreview  `json:"preview"`
		// An ordinary 409 envelope (never seen here, but possible from a
		// proxy or a later platform) stays an *APIError.
		errorEnvelope
	}
	cl := call{method: http.MethodPut, path: apiPath("databases", dbID, "backup-policy"), body: in, answerStatus: http.StatusConflict,
		write: &Write{Kind: WritePutBackupPolicy, DatabaseID: dbID}}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.ConfirmationRequired {
		e := &ConfirmationRequiredError{Method: cl.method, Path: cl.target()}
		if out.Preview != nil {
			e.Keep, e.Prune, e.BytesFreed = out.Preview.Keep, out.Preview.Prune, out.Preview.BytesFreed
		}
		return nil, e
	}
	if out.Code != "" {
		return nil, &APIError{Status: http.StatusConflict, Code: out.Code, Message: out.Message, RequestID: out.RequestID,
			Method: cl.method, Path: cl.target(), Attempts: 1}
	}
	if out.Override == nil {
		return nil, missingObject(&cl, "override")
	}
	return &BackupPolicyResult{Override: *out.Override, Rotation: out.Rotation}, nil
}

// DeleteBackupPolicy reverts the database to the global default and
// returns the policy now in effect; it succeeds when there was no override.
func (c *Client) DeleteBackupPolicy(ctx context.Context, dbID string) (*BackupPolicy, error) {
	if err := requireIDs("database id", dbID); err != nil {
		return nil, err
	}
	var out struct {
		Effective *BackupPolicy `json:"effective"`
	}
	cl := call{method: http.MethodDelete, path: apiPath("databases", dbID, "backup-policy"),
		write: &Write{Kind: WriteDeleteBackupPolicy, DatabaseID: dbID}}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Effective == nil {
		return nil, missingObject(&cl, "effective")
	}
	return out.Effective, nil
}

// PreviewBackupPolicy asks what in would delete now (viewers may ask). The
// platform lays the body over the current policy, so in is always whole.
// The POST changes nothing, so it carries an Idempotency-Key to make its
// retries safe under the transport's POST rule.
func (c *Client) PreviewBackupPolicy(ctx context.Context, dbID string, in BackupPolicyInput) (*BackupPolicyPreview, error) {
	if err := requireIDs("database id", dbID); err != nil {
		return nil, err
	}
	key, err := newIdempotencyKey()
	if err != nil {
		return nil, err
	}
	in.Confirm = false
	var out BackupPolicyPreview
	cl := call{method: http.MethodPost, path: apiPath("databases", dbID, "backup-policy", "preview"), body: in, idempotencyKey: key, asks: true}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Policy.Preset == "" {
		return nil, missingObject(&cl, "policy")
	}
	return &out, nil
}

// PreviewCurrentBackupPolicy asks what the database's effective policy, as
// it stands, would delete now (viewers may ask): the preview without a
// body, which is what a rotation applies.
func (c *Client) PreviewCurrentBackupPolicy(ctx context.Context, dbID string) (*BackupPolicyPreview, error) {
	if err := requireIDs("database id", dbID); err != nil {
		return nil, err
	}
	key, err := newIdempotencyKey()
	if err != nil {
		return nil, err
	}
	var out BackupPolicyPreview
	cl := call{method: http.MethodPost, path: apiPath("databases", dbID, "backup-policy", "preview"), idempotencyKey: key, asks: true}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Policy.Preset == "" {
		return nil, missingObject(&cl, "policy")
	}
	return &out, nil
}

// RotateBackups applies the database's effective policy now: the backups
// it does not keep are deleted at once. The platform has no dry run for
// it (any query or body is ignored), so callers preview first. The POST
// carries an Idempotency-Key so that a retry after a lost answer gets the
// first rotation's answer rather than the silence of a second one, which
// would find nothing left to delete.
func (c *Client) RotateBackups(ctx context.Context, dbID string) (*BackupRotation, error) {
	if err := requireIDs("database id", dbID); err != nil {
		return nil, err
	}
	key, err := newIdempotencyKey()
	if err != nil {
		return nil, err
	}
	var out BackupRotation
	cl := call{method: http.MethodPost, path: apiPath("databases", dbID, "rotate"), idempotencyKey: key,
		write: &Write{Kind: WriteRotateBackups, DatabaseID: dbID}}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Keep == nil && out.Prune == nil {
		return nil, missingObject(&cl, "keep")
	}
	return &out, nil
}

// IsConfirmationRequired reports whether err is the policy PUT's 409
// confirmation answer.
func IsConfirmationRequired(err error) (*ConfirmationRequiredError, bool) {
	var e *ConfirmationRequiredError
	ok := errors.As(err, &e)
	return e, ok
}
