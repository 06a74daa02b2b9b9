package client

import (
	"context"
	"net/http"
)

// GetSchedule returns the database's backup schedule, or nil and no error
// when it has none (the platform answers 200 {"schedule":null}, not 404).
func (c *Client) GetSchedule(ctx context.Context, dbID string) (*Schedule, error) {
	if err := requireIDs("database id", dbID); err != nil {
		return nil, err
	}
	var out struct {
		Schedule *Schedule `json:"schedule"`
	}
	if err := c.do(ctx, call{method: http.MethodGet, path: apiPath("databases", dbID, "schedule")}, &out); err != nil {
		return nil, err
	}
	return out.Schedule, nil
}

// PutSchedule creates or replaces the schedule. The platform stores
// cronExpression without checking it is valid cron.
func (c *Client) PutSchedule(ctx context.Context, dbID string, in ScheduleInput) (*Schedule, error) {
	if err := requireIDs("database id", dbID); err != nil {
		return nil, err
	}
	var out struct {
		Schedule *Schedule `json:"schedule"`
	}
	cl := call{method: http.MethodPut, path: apiPath("databases", dbID, "schedule"), body: in,
		write: &Write{Kind: WritePutSchedule, DatabaseID: dbID}}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Schedule == nil {
		return nil, missingObject(&cl, "schedule")
	}
	return out.Schedule, nil
}

// DeleteSchedule removes the schedule; it succeeds when there is none.
func (c *Client) DeleteSchedule(ctx context.Context, dbID string) error {
	if err := requireIDs("database id", dbID); err != nil {
		return err
	}
	return c.do(ctx, call{method: http.MethodDelete, path: apiPath("databases", dbID, "schedule"),
		write: &Write{Kind: WriteDeleteSchedule, DatabaseID: dbID}}, nil)
}
