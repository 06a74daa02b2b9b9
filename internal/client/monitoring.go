package client

import (
	"context"
	"net/http"
)

// MonitoringInput is the body of the monitoring PATCH; a nil field is not
// sent and stays unchanged. The platform validates nothing here: a
// negative or zero interval is stored, and a value of the wrong JSON type
// is a 500, so callers check values before sending them.
type MonitoringInput struct {
	MonitoringEnabled     *bool  `json:"monitoringEnabled,omitempty"`
	CollectionIntervalSec *int64 `json:"collectionIntervalSec,omitempty"`
}

// Monitoring is the monitoring PATCH's answer (not wrapped in an envelope).
type Monitoring struct {
	MonitoringEnabled     bool   `json:"monitoringEnabled"`
	CollectionIntervalSec int64  `json:"collectionIntervalSec"`
	MonitoringStatus      string `json:"monitoringStatus"`
}

// MonitoringSummary is one database's entry of an environment's monitoring
// summary, the only answer that carries the collector's status.
type MonitoringSummary struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	MonitoringEnabled bool   `json:"monitoringEnabled"`
	// MonitoringStatus is "unknown" until the collector has tried, then
	// "error" or "connected".
	MonitoringStatus    string  `json:"monitoringStatus"`
	LastCollectedAt     *string `json:"lastCollectedAt"`
	LastMonitoringError *string `json:"lastMonitoringError"`
}

// UpdateMonitoring sets a database's monitoring configuration. envID must
// be the database's own environment: the platform checks it only against
// the token's scope, never against the database, so a wrong one would
// silently change the database anyway.
func (c *Client) UpdateMonitoring(ctx context.Context, envID, dbID string, in MonitoringInput) (*Monitoring, error) {
	if err := requireIDs("environment id", envID, "database id", dbID); err != nil {
		return nil, err
	}
	cl := call{method: http.MethodPatch, path: apiPath("environments", envID, "databases", dbID, "monitoring"), body: in,
		write: &Write{Kind: WriteUpdateMonitoring, EnvironmentID: envID, DatabaseID: dbID}}
	var out *Monitoring
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out == nil {
		return nil, missingObject(&cl, "monitoring configuration")
	}
	return out, nil
}

// ListMonitoringSummary reads the collector's status of every database of
// an environment in one request.
func (c *Client) ListMonitoringSummary(ctx context.Context, envID string) ([]MonitoringSummary, error) {
	if err := requireIDs("environment id", envID); err != nil {
		return nil, err
	}
	var out struct {
		Databases []MonitoringSummary `json:"databases"`
	}
	cl := call{method: http.MethodGet, path: apiPath("environments", envID, "databases", "monitoring-summary")}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if out.Databases == nil {
		out.Databases = []MonitoringSummary{}
	}
	return out.Databases, nil
}
