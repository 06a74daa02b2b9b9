package simulator

import (
	"encoding/json"
	"math"
	"net/url"
)

// databaseRules is the server's createDatabaseSchema, in schema order;
// PATCH uses it with every field optional. monitoringEnabled and
// collectionIntervalSec are not in it, so create and PATCH drop them like
// any unknown field (200, nothing changes): only the monitoring route
// (monitoring.go) sets them.
var databaseRules = []rule{
	{name: "name", kind: kindString, required: true, minLen: 1},
	{name: "type", kind: kindString, required: true, minLen: 1},
	{name: "databaseTypeId", kind: kindString},
	{name: "host", kind: kindString},
	{name: "port", kind: kindNumber}, // no range check (api's Port range is the provider's): 70000 is accepted
	{name: "databaseName", kind: kindString},
	{name: "username", kind: kindString},
	{name: "password", kind: kindString},
	{name: "filePath", kind: kindString},
	{name: "useSsl", kind: kindBool},
	{name: "serverId", kind: kindString},
	{name: "backupStorageType", kind: kindEnum, values: platformDB.Enums.BackupStorageType},
	{name: "backupLocalPath", kind: kindString},
	{name: "backupSpacesBucket", kind: kindString},
	{name: "backupSpacesPrefix", kind: kindString},
	{name: "backupFormat", kind: kindEnum, values: platformDB.Enums.BackupFormat},
	{name: "backupCompression", kind: kindEnum, values: platformDB.Enums.BackupCompression},
	{name: "backupCompressionLevel", kind: kindNumber, min: lo(platformDB.Ranges.BackupCompressionLevel), max: hi(platformDB.Ranges.BackupCompressionLevel)},
	{name: "pgDumpOptions", kind: kindPgDump},
	{name: "pgDumpTimeoutMs", kind: kindNumber, min: lo(platformDB.Ranges.PgDumpTimeoutMs), max: hi(platformDB.Ranges.PgDumpTimeoutMs)},
}

// storedInt is what the database column keeps of a JSON number: the value
// truncated (5432.5 -> 5432). Beyond 32 bits the write fails (a 500).
func storedInt(f float64) (int, bool) {
	t := math.Trunc(f)
	if t > math.MaxInt32 || t < math.MinInt32 {
		return 0, false
	}
	return int(t), true
}

// optionalInt reads a numeric field as its stored integer.
func (v values) optionalInt(name string) (n int, sent, valid bool) {
	f, sent := v.number(name)
	if !sent {
		return 0, false, true
	}
	n, valid = storedInt(f)
	return n, true, valid
}

func (s *Simulator) createDatabase(q *request) reply {
	in, issues := validate(q.body, q.hasBody, databaseRules, false)
	if len(issues) > 0 {
		return q.fail(errInvalidInput(issues))
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	d, e := s.newDatabase(q.params["envId"], in)
	if e != nil {
		return q.fail(e)
	}
	s.store.dbs[d.ID] = d
	return ok(map[string]any{"database": s.store.view(d)})
}

// newDatabase builds a record from a validated create body. Missing
// environment, server or type ids are foreign-key failures: a bare 500 on
// the real server, while a duplicate name is caught first as a 409.
func (s *Simulator) newDatabase(envID string, in values) (*Database, *APIError) {
	env := s.store.envs[envID]
	if env == nil {
		return nil, errInternal()
	}
	name, _ := in.str("name")
	if s.store.nameTaken(envID, name, "") {
		return nil, errConflict("Database with this name already exists")
	}
	typeName, _ := in.str("type")
	d := &Database{ID: s.ids.next(), EnvironmentID: envID, Name: name, Type: typeName}
	if e := resolveType(d, in); e != nil {
		return nil, e
	}
	applyCreateDefaults(d)
	if e := s.applyFields(d, in); e != nil {
		return nil, e
	}
	if d.BackupStorageType == "spaces" && (d.BackupSpacesPrefix == nil || *d.BackupSpacesPrefix == "") {
		d.BackupSpacesPrefix = ptr(env.Name + "/" + name + "/")
	}
	user, _ := in.str("username")
	pass, _ := in.str("password")
	if user != "" && pass != "" {
		d.setCredentials(user, pass)
	}
	d.CreatedAt = s.now()
	d.UpdatedAt = d.CreatedAt
	return d, nil
}

// resolveType: an explicit databaseTypeId must exist; an absent (or empty)
// one is looked up by `type` name and stays null for unknown types. An
// empty one for an unknown type is a 500: the platform keeps the "" when
// the name lookup finds nothing, and the insert breaks the foreign key.
func resolveType(d *Database, in values) *APIError {
	id, present := in.str("databaseTypeId")
	if id != "" {
		if _, ok := typeByID(id); !ok {
			return errInternal()
		}
		d.DatabaseTypeID = ptr(id)
		return nil
	}
	t, ok := typeByName(d.Type)
	switch {
	case ok:
		d.DatabaseTypeID = ptr(t.ID)
	case present:
		return errInternal()
	}
	return nil
}

func applyCreateDefaults(d *Database) {
	d.BackupStorageType = serverDefaults.BackupStorageType
	d.BackupFormat = serverDefaults.BackupFormat
	d.BackupCompression = serverDefaults.BackupCompression
	d.BackupCompressionLevel = serverDefaults.BackupCompressionLevel
	d.PgDumpTimeoutMs = serverDefaults.PgDumpTimeoutMs
	d.UseSSL = serverDefaults.UseSSL
	d.MonitoringEnabled = serverDefaults.MonitoringEnabled
	d.CollectionIntervalSec = serverDefaults.CollectionIntervalSec
	d.MonitoringStatus = monitoringUnknown
}

// applyFields copies the settable fields that were sent (create and PATCH
// alike) into the stored settings, by their JSON name; name, type, ids and
// credentials are not settings and are handled by the callers. Numbers are
// stored truncated (5432.5 -> 5432), and beyond 32 bits the write fails.
func (s *Simulator) applyFields(d *Database, in values) *APIError {
	if e := s.checkServer(in); e != nil {
		return e
	}
	sent := make(map[string]any, len(in))
	for name, v := range in {
		if f, ok := v.(float64); ok {
			n, valid := storedInt(f)
			if !valid {
				return errInternal()
			}
			v = n
		}
		sent[name] = v
	}
	if _, ok := sent["pgDumpOptions"]; ok {
		d.PgDumpOptions = nil // replaced as a whole, never merged
	}
	if err := json.Unmarshal(marshal(sent), &d.DatabaseSettings); err != nil {
		return errInternal()
	}
	return nil
}

// checkServer: a sent serverId must exist (a foreign key: even "" fails).
func (s *Simulator) checkServer(in values) *APIError {
	if id, ok := in.str("serverId"); ok && s.store.servers[id] == nil {
		return errInternal()
	}
	return nil
}

func (s *Simulator) getDatabase(q *request) reply {
	return s.withDatabase(q, func(d *Database) reply {
		return ok(map[string]any{"database": s.store.view(d)})
	})
}

// listDatabases: an unknown environment is just an empty list.
func (s *Simulator) listDatabases(q *request) reply {
	limit, offset, e := pagination(q.http.URL.Query(), serverDefaults.DatabaseListLimit)
	if e != nil {
		return q.fail(e)
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	all := s.store.databasesIn(q.params["envId"])
	items := []dbListItem{}
	for _, d := range page(all, limit, offset) {
		items = append(items, s.store.listItem(d))
	}
	return ok(map[string]any{"databases": items, "total": len(all)})
}

// pagination reads limit/offset with parseInt semantics: absent or empty
// means the default, a non-number is a 500 (NaN reaches the database
// layer), and so is a negative offset.
func pagination(query url.Values, defaultLimit int) (limit, offset int64, e *APIError) {
	limit, offset = int64(defaultLimit), 0
	if v, ok := singleParam(query, "limit"); ok {
		n, valid := parseIntJS(v)
		if !valid {
			return 0, 0, errInternal()
		}
		limit = n
	}
	if v, ok := singleParam(query, "offset"); ok {
		n, valid := parseIntJS(v)
		if !valid || n < 0 {
			return 0, 0, errInternal()
		}
		offset = n
	}
	return limit, offset, nil
}

// singleParam: a repeated parameter arrives as an array, which the server
// ignores (default applies), as it does an empty one.
func singleParam(query url.Values, name string) (string, bool) {
	vs := query[name]
	if len(vs) != 1 || vs[0] == "" {
		return "", false
	}
	return vs[0], true
}

// page applies Prisma's skip/take: a negative take counts from the end
// (limit=-1 is the last item), with skip then also counted from the end.
func page[T any](all []T, limit, offset int64) []T {
	n := int64(len(all))
	var start, end int64
	switch {
	case limit == 0:
		return nil
	case limit > 0:
		start = min(offset, n)
		end = start + min(limit, n-start) // no overflow for limit near MaxInt64
	default:
		end = max(n-offset, 0)
		start = max(end+limit, 0)
	}
	return all[start:end]
}

func (s *Simulator) deleteDatabaseHandler(q *request) reply {
	return q.done(s.removeDatabase(q.params["id"]))
}

// removeDatabase refuses while any backup record exists; the schedule goes
// with the database.
func (s *Simulator) removeDatabase(id string) error {
	return s.onDatabase(id, func(*Database) error {
		if len(s.store.backupsOf(id)) > 0 {
			return errBadRequest("Cannot delete database with existing backups. Delete backups first.")
		}
		delete(s.store.dbs, id)
		delete(s.store.schedules, id)
		return nil
	})
}

// CreateDatabase registers a database out of band with the create route's
// rules: body is a POST /api/environments/{envId}/databases body (the API's
// JSON names), validated and defaulted as the platform does, so a seeded
// estate holds only what the platform could hold. Failures are *APIError
// values with the status the route would answer.
func (s *Simulator) CreateDatabase(envID string, body map[string]any) (id string, err error) {
	obj, err := objectFromMap(body)
	if err != nil {
		return "", err
	}
	in, issues := validate(obj, true, databaseRules, false)
	if len(issues) > 0 {
		return "", errInvalidInput(issues)
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	d, e := s.newDatabase(envID, in)
	if e != nil {
		return "", e
	}
	s.store.dbs[d.ID] = d
	return d.ID, nil
}

// DatabaseFields names the fields of a create body the platform stores, in
// its schema order; the platform drops any other key without a word, so a
// caller that wants typos reported checks against these.
func DatabaseFields() []string {
	names := make([]string, len(databaseRules))
	for i, r := range databaseRules {
		names[i] = r.name
	}
	return names
}

// Databases is a snapshot of an environment's databases, sorted by name.
func (s *Simulator) Databases(envID string) []Database {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return clones(s.store.databasesIn(envID), (*Database).clone)
}

// Database is a snapshot of one database.
func (s *Simulator) Database(id string) (Database, bool) {
	var c Database
	err := s.onDatabase(id, func(d *Database) error {
		c = d.clone()
		return nil
	})
	return c, err == nil
}

// DeleteDatabase deletes a database out of band, with DELETE's rules (an
// *APIError for 404 or the existing-backups 400).
func (s *Simulator) DeleteDatabase(id string) error { return s.removeDatabase(id) }

// DatabaseTypeID is the id of a built-in database type, "" if unknown.
func (s *Simulator) DatabaseTypeID(name string) string {
	t, _ := typeByName(name)
	return t.ID
}
