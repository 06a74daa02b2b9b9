package simulator

type typeView struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	DisplayName      string `json:"displayName"`
	HasBackupCommand bool   `json:"hasBackupCommand"`
}

type dbCount struct {
	Backups  int `json:"backups"`
	Services int `json:"services"`
}

// dbView is the database object as the API returns it; username and
// password are never part of it.
type dbView struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Type           string    `json:"type"`
	HasCredentials bool      `json:"hasCredentials"`
	DatabaseTypeID *string   `json:"databaseTypeId"`
	DatabaseType   *typeView `json:"databaseType"`
	DatabaseSettings
	CreatedAt     string  `json:"createdAt"`
	UpdatedAt     string  `json:"updatedAt"`
	EnvironmentID string  `json:"environmentId"`
	Count         dbCount `json:"_count"`
}

// dbListItem is a list entry: the database plus its latest backup and its
// schedule summary (both null when absent).
type dbListItem struct {
	dbView
	LastBackup *lastBackupView  `json:"lastBackup"`
	Schedule   *scheduleSummary `json:"schedule"`
}

type lastBackupView struct {
	ID          string  `json:"id"`
	Status      string  `json:"status"`
	Type        string  `json:"type"`
	CreatedAt   string  `json:"createdAt"`
	CompletedAt *string `json:"completedAt"`
	Error       *string `json:"error"`
}

type scheduleSummary struct {
	Enabled        bool    `json:"enabled"`
	CronExpression string  `json:"cronExpression"`
	LastRunAt      *string `json:"lastRunAt"`
	NextRunAt      *string `json:"nextRunAt"`
}

// view renders d; the caller holds the store lock.
func (st *store) view(d *Database) dbView {
	v := dbView{
		ID: d.ID, Name: d.Name, Type: d.Type, HasCredentials: d.HasCredentials, DatabaseTypeID: d.DatabaseTypeID,
		DatabaseSettings: d.DatabaseSettings,
		CreatedAt:        jsTime(d.CreatedAt), UpdatedAt: jsTime(d.UpdatedAt), EnvironmentID: d.EnvironmentID,
		Count: dbCount{Backups: len(st.backupsOf(d.ID))},
	}
	if d.DatabaseTypeID != nil {
		if t, ok := typeByID(*d.DatabaseTypeID); ok {
			v.DatabaseType = &typeView{ID: t.ID, Name: t.Name, DisplayName: t.DisplayName, HasBackupCommand: t.HasBackupCommand}
		}
	}
	return v
}

func (st *store) listItem(d *Database) dbListItem {
	item := dbListItem{dbView: st.view(d)}
	if bs := st.backupsOf(d.ID); len(bs) > 0 {
		b := bs[0]
		item.LastBackup = &lastBackupView{ID: b.ID, Status: b.Status, Type: b.Type,
			CreatedAt: jsTime(b.CreatedAt), CompletedAt: jsTimePtr(b.CompletedAt), Error: b.Error}
	}
	if sc := st.schedules[d.ID]; sc != nil {
		item.Schedule = &scheduleSummary{Enabled: sc.Enabled, CronExpression: sc.CronExpression,
			LastRunAt: jsTimePtr(sc.LastRunAt), NextRunAt: jsTimePtr(sc.NextRunAt)}
	}
	return item
}
