package simulator

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// monitoringUnknown is a database's status before the collector's first
// run.
var monitoringUnknown = api.Platform.Monitoring.FreshStatus

// monitoringAnswer is the monitoring route's answer, not wrapped in an
// envelope key like the other database routes.
type monitoringAnswer struct {
	MonitoringEnabled     bool   `json:"monitoringEnabled"`
	CollectionIntervalSec int64  `json:"collectionIntervalSec"`
	MonitoringStatus      string `json:"monitoringStatus"`
}

// patchMonitoring is PATCH /api/environments/{envId}/databases/{id}/monitoring
// as observed: the envId is checked against the token's scope but never
// matched to the database, and nothing is validated. Unlike the platform,
// a scoped token's own envId does not open another environment's
// database (see databaseInPath). Keys absent stay unchanged; unknown keys and non-object bodies
// ([] and the like) change nothing; a value the database layer cannot take
// (a string, a bool where a number goes, null, a number beyond 64 bits) is
// a 500, as are no body and a JSON null. Fractions are truncated.
func (s *Simulator) patchMonitoring(q *request) reply {
	return s.withDatabase(q, func(d *Database) reply {
		if e := outOfScope(q, d); e != nil {
			return q.fail(e)
		}
		if !q.hasBody || q.body == nil {
			return q.fail(errInternal()) // reading a property of undefined/null throws
		}
		next := *d
		if obj, ok := q.body.(*jsonObject); ok {
			if e := applyMonitoring(&next, obj); e != nil {
				return q.fail(e)
			}
		}
		next.UpdatedAt = later(s.now(), d.UpdatedAt) // assumed: Prisma's @updatedAt moves on every update
		*d = next
		return ok(monitoringAnswer{MonitoringEnabled: d.MonitoringEnabled, CollectionIntervalSec: d.CollectionIntervalSec,
			MonitoringStatus: d.MonitoringStatus})
	})
}

func applyMonitoring(d *Database, obj *jsonObject) *APIError {
	if v, sent := obj.vals["monitoringEnabled"]; sent {
		b, ok := v.(bool)
		if !ok {
			return errInternal()
		}
		d.MonitoringEnabled = b
	}
	if v, sent := obj.vals["collectionIntervalSec"]; sent {
		n, ok := v.(json.Number)
		if !ok {
			return errInternal()
		}
		f, err := n.Float64()
		t := math.Trunc(f)
		if err != nil || t >= math.MaxInt64 || t < math.MinInt64 {
			return errInternal()
		}
		d.CollectionIntervalSec = int64(t)
	}
	return nil
}

// monitoringSummaryItem is one entry of the monitoring summary. The
// simulator runs no collector: latestMetrics is always null, and the
// status stays "unknown" unless a test sets it (SetMonitoringStatus).
// monitoringConfig is the type's, as an object where the types' route
// has a string.
type monitoringSummaryItem struct {
	ID                  string  `json:"id"`
	Name                string  `json:"name"`
	Type                string  `json:"type"`
	TypeName            *string `json:"typeName"`
	ServerName          *string `json:"serverName"`
	MonitoringEnabled   bool    `json:"monitoringEnabled"`
	MonitoringStatus    string  `json:"monitoringStatus"`
	LastCollectedAt     *string `json:"lastCollectedAt"`
	LastMonitoringError *string `json:"lastMonitoringError"`
	LatestMetrics       any     `json:"latestMetrics"`
	MonitoringConfig    any     `json:"monitoringConfig"`
}

// monitoringSummary is GET /api/environments/{envId}/databases/monitoring-summary:
// the only place the collector's status is returned, one request for a
// whole environment (an unknown one is empty, like the database list).
func (s *Simulator) monitoringSummary(q *request) reply {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	items := []monitoringSummaryItem{}
	for _, d := range s.store.databasesIn(q.params["envId"]) {
		item := monitoringSummaryItem{ID: d.ID, Name: d.Name, Type: d.Type, MonitoringEnabled: d.MonitoringEnabled,
			MonitoringStatus: d.MonitoringStatus, LastCollectedAt: jsTimePtr(d.LastCollectedAt),
			LastMonitoringError: clonePtr(d.LastMonitoringError)}
		if d.DatabaseTypeID != nil {
			if t, ok := typeByID(*d.DatabaseTypeID); ok {
				item.TypeName = ptr(t.DisplayName)
				item.MonitoringConfig = monitoringConfigObject(t.Name)
			}
		}
		if d.ServerID != nil && s.store.servers[*d.ServerID] != nil {
			item.ServerName = ptr(s.store.servers[*d.ServerID].Name)
		}
		items = append(items, item)
	}
	return ok(map[string]any{"databases": items})
}

// SetMonitoringStatus plays the collector: it records what its last tick
// saw for a database: status is one of api.Platform.Monitoring.Statuses
// (any other is refused), lastErr goes only with "error", and collected is
// nil until a collection succeeded.
func (s *Simulator) SetMonitoringStatus(id, status string, collected *time.Time, lastErr *string) error {
	return s.onDatabase(id, func(d *Database) error {
		if !slices.Contains(api.Platform.Monitoring.Statuses, status) {
			return fmt.Errorf("monitoring status %q is none the platform reports (%q)", status, api.Platform.Monitoring.Statuses)
		}
		d.MonitoringStatus, d.LastCollectedAt, d.LastMonitoringError = status, clonePtr(collected), clonePtr(lastErr)
		return nil
	})
}

// SetMonitoring changes a database's monitoring settings out of band, as
// the platform's UI does through the monitoring route.
func (s *Simulator) SetMonitoring(id string, enabled bool, intervalSec int64) error {
	return s.onDatabase(id, func(d *Database) error {
		d.MonitoringEnabled, d.CollectionIntervalSec = enabled, intervalSec
		d.UpdatedAt = later(s.now(), d.UpdatedAt)
		return nil
	})
}
