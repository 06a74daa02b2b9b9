package simulator

import (
	"sort"
	"strings"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// scheduleRules: cronExpression must be a non-empty string but is never
// parsed as cron ("not a cron" is stored).
var scheduleRules = []rule{
	{name: "cronExpression", kind: kindString, required: true, minLen: 1},
	{name: "retentionDays", kind: kindNumber, min: lo(api.Platform.Schedule.Ranges.RetentionDays), max: hi(api.Platform.Schedule.Ranges.RetentionDays)},
	{name: "enabled", kind: kindBool},
}

// scheduleView is the schedule as the platform returns it: these seven
// keys and no timestamps of its own (the record's createdAt/updatedAt stay
// inside the server).
type scheduleView struct {
	ID             string  `json:"id"`
	DatabaseID     string  `json:"databaseId"`
	CronExpression string  `json:"cronExpression"`
	RetentionDays  int     `json:"retentionDays"`
	Enabled        bool    `json:"enabled"`
	LastRunAt      *string `json:"lastRunAt"`
	NextRunAt      *string `json:"nextRunAt"`
}

func viewSchedule(sc *Schedule) *scheduleView {
	if sc == nil {
		return nil
	}
	return &scheduleView{ID: sc.ID, DatabaseID: sc.DatabaseID, CronExpression: sc.CronExpression,
		RetentionDays: sc.RetentionDays, Enabled: sc.Enabled, LastRunAt: jsTimePtr(sc.LastRunAt),
		NextRunAt: jsTimePtr(sc.NextRunAt)}
}

// nextRunAt copies the server's coarse estimate: hourly when the hour field
// is "*", weekly when a weekday is set, daily otherwise; null while disabled.
func nextRunAt(sc *Schedule, from time.Time) *time.Time {
	if !sc.Enabled {
		return nil
	}
	parts := strings.Fields(sc.CronExpression)
	field := func(i int) string {
		if i < len(parts) {
			return parts[i]
		}
		return ""
	}
	switch {
	case field(1) == "*":
		return ptr(from.Add(time.Hour))
	case field(4) != "*":
		return ptr(from.AddDate(0, 0, 7))
	default:
		return ptr(from.AddDate(0, 0, 1))
	}
}

// putSchedule validates the body before looking the database up, as the
// real route does; PUT replaces the schedule, defaults included.
func (s *Simulator) putSchedule(q *request) reply {
	in, issues := validate(q.body, q.hasBody, scheduleRules, false)
	if len(issues) > 0 {
		return q.fail(errInvalidInput(issues))
	}
	return s.withDatabase(q, func(d *Database) reply {
		return ok(map[string]any{"schedule": viewSchedule(s.writeSchedule(d, in))})
	})
}

// writeSchedule stores a validated PUT body as d's schedule, defaults
// included; the caller holds the store lock.
func (s *Simulator) writeSchedule(d *Database, in values) *Schedule {
	now := s.now()
	sc := s.store.schedules[d.ID]
	if sc == nil {
		sc = &Schedule{ID: s.ids.next(), DatabaseID: d.ID, CreatedAt: now}
		s.store.schedules[d.ID] = sc
	}
	sc.CronExpression, _ = in.str("cronExpression")
	sc.RetentionDays = serverDefaults.ScheduleRetentionDays
	if n, sent, _ := in.optionalInt("retentionDays"); sent {
		sc.RetentionDays = n
	}
	sc.Enabled = serverDefaults.ScheduleEnabled
	if b, sent := in.boolean("enabled"); sent {
		sc.Enabled = b
	}
	sc.UpdatedAt = now
	sc.NextRunAt = nextRunAt(sc, now)
	return sc
}

// PutSchedule sets a database's backup schedule out of band with the PUT
// route's rules: body is a PUT /api/databases/{id}/schedule body.
func (s *Simulator) PutSchedule(databaseID string, body map[string]any) error {
	obj, err := objectFromMap(body)
	if err != nil {
		return err
	}
	in, issues := validate(obj, true, scheduleRules, false)
	if len(issues) > 0 {
		return errInvalidInput(issues)
	}
	return s.onDatabase(databaseID, func(d *Database) error {
		s.writeSchedule(d, in)
		return nil
	})
}

func (s *Simulator) getSchedule(q *request) reply {
	return s.withDatabase(q, func(d *Database) reply {
		return ok(map[string]any{"schedule": viewSchedule(s.store.schedules[d.ID])})
	})
}

// deleteSchedule answers success whether or not there was one.
func (s *Simulator) deleteSchedule(q *request) reply {
	return s.withDatabase(q, func(d *Database) reply {
		delete(s.store.schedules, d.ID)
		return q.done(nil)
	})
}

// Schedule is a snapshot of a database's backup schedule.
func (s *Simulator) Schedule(databaseID string) (Schedule, bool) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	sc := s.store.schedules[databaseID]
	if sc == nil {
		return Schedule{}, false
	}
	c := *sc
	c.LastRunAt = clonePtr(sc.LastRunAt)
	c.NextRunAt = clonePtr(sc.NextRunAt)
	return c, true
}

// RunScheduler does what one tick of the platform's scheduler does: every
// enabled schedule that is due (nextRunAt reached) or has never run starts
// a backup of type "scheduled" (which then blocks deleting the database
// like any backup), and its lastRunAt and nextRunAt move. A new enabled
// schedule therefore runs at the first tick whatever its cron says. On a
// release without retention policies the run then deletes the database's
// scheduled backups, whatever their status, created more than the
// schedule's retentionDays days ago. It returns the started backups' ids,
// ordered by database id.
//
// The simulator never calls it by itself: the platform ticks about once a
// minute, and a test that wants a scheduled run says so by calling this.
func (s *Simulator) RunScheduler() []string {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	now := s.now()
	var due []*Schedule
	for _, sc := range s.store.schedules {
		if sc.Enabled && s.store.dbs[sc.DatabaseID] != nil &&
			(sc.LastRunAt == nil || (sc.NextRunAt != nil && !sc.NextRunAt.After(now))) {
			due = append(due, sc)
		}
	}
	sort.Slice(due, func(i, j int) bool { return due[i].DatabaseID < due[j].DatabaseID })
	ids := make([]string, 0, len(due))
	for _, sc := range due {
		ids = append(ids, s.startBackup(s.store.dbs[sc.DatabaseID], BackupScheduled).ID)
		sc.LastRunAt = ptr(now)
		sc.NextRunAt = nextRunAt(sc, now)
		if !s.release.retention {
			s.store.pruneOlderThan(sc.DatabaseID, now.Add(-time.Duration(sc.RetentionDays)*24*time.Hour))
		}
	}
	return ids
}

// pruneOlderThan is v2.3.0's retention after a scheduled run: the
// database's scheduled backups created before cutoff go, failed ones too;
// manual ones stay. The caller holds the store lock.
func (st *store) pruneOlderThan(databaseID string, cutoff time.Time) {
	for _, b := range st.backupsOf(databaseID) {
		if b.Type == BackupScheduled && b.CreatedAt.Before(cutoff) {
			delete(st.backups, b.ID)
		}
	}
}
