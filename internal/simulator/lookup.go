package simulator

// The platform answers a route on an object that does not exist with a 404
// whose message names the object; these look-ups are the one place those
// answers are written, so a handler holds only what its route does. The
// store look-ups need the caller to hold the store lock; the Simulator ones
// take it.

func errDatabaseNotFound() *APIError    { return errNotFound("Database not found") }
func errBackupNotFound() *APIError      { return errNotFound("Backup not found") }
func errEnvironmentNotFound() *APIError { return errNotFound("Environment not found") }

// database is the database with this id, or the platform's 404.
func (st *store) database(id string) (*Database, *APIError) {
	if d := st.dbs[id]; d != nil {
		return d, nil
	}
	return nil, errDatabaseNotFound()
}

// backup is the backup with this id, settled, or the platform's 404.
func (st *store) backup(id string) (*Backup, *APIError) {
	b := st.backups[id]
	if b == nil {
		return nil, errBackupNotFound()
	}
	st.settle(b)
	return b, nil
}

// backupOf is a backup reached through its database's route: the
// database's 404 comes first, and a backup of another database is as
// unknown as a missing one.
func (st *store) backupOf(databaseID, backupID string) (*Backup, *APIError) {
	if _, e := st.database(databaseID); e != nil {
		return nil, e
	}
	b, e := st.backup(backupID)
	if e != nil || b.DatabaseID != databaseID {
		return nil, errBackupNotFound()
	}
	return b, nil
}

// environment is the environment with this id, or the platform's 404.
func (st *store) environment(id string) (*environment, *APIError) {
	if e := st.envs[id]; e != nil {
		return e, nil
	}
	return nil, errEnvironmentNotFound()
}

// databaseType is the built-in type with this id, or the platform's 404.
func databaseType(id string) (DatabaseType, *APIError) {
	if t, ok := typeByID(id); ok {
		return t, nil
	}
	return DatabaseType{}, errNotFound("Database type not found")
}

// withDatabase runs a route's behaviour on the database its {id} names,
// under the store lock; an unknown id is the platform's 404.
func (s *Simulator) withDatabase(q *request, fn func(*Database) reply) reply {
	return found(s, q, func() (*Database, *APIError) { return s.store.database(q.params["id"]) }, fn)
}

// withBackup is withDatabase for GET and DELETE /api/backups/{id}.
func (s *Simulator) withBackup(q *request, fn func(*Backup) reply) reply {
	return found(s, q, func() (*Backup, *APIError) { return s.store.backup(q.params["id"]) }, fn)
}

// withEnvironment is withDatabase for /api/environments/{id}.
func (s *Simulator) withEnvironment(q *request, fn func(*environment) reply) reply {
	return found(s, q, func() (*environment, *APIError) { return s.store.environment(q.params["id"]) }, fn)
}

// found runs fn on what look finds, under the store lock, or answers
// look's 404.
func found[T any](s *Simulator, q *request, look func() (T, *APIError), fn func(T) reply) reply {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	v, e := look()
	if e != nil {
		return q.fail(e)
	}
	return fn(v)
}

// onDatabase is withDatabase for the Go helpers tests call: the 404 (or
// fn's error) comes back as an error, nil when fn succeeded.
func (s *Simulator) onDatabase(id string, fn func(*Database) error) error {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	d, e := s.store.database(id)
	if e != nil {
		return e
	}
	return fn(d)
}

// databaseInPath is a copy of the database of a route under
// /api/environments/{envId}/databases/{id}, for work done outside the
// lock. The platform never matches the database to {envId}, so an
// environment-scoped token reaches any environment's database through
// its own envId; the simulator refuses that as it refuses a foreign envId
// (a deliberate difference, see CONTRACT.md).
func (s *Simulator) databaseInPath(q *request) (Database, *APIError) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	d, e := s.store.database(q.params["id"])
	if e != nil {
		return Database{}, e
	}
	if e := outOfScope(q, d); e != nil {
		return Database{}, e
	}
	return d.clone(), nil
}

// outOfScope refuses a scoped token a database outside its environments.
func outOfScope(q *request, d *Database) *APIError {
	if q.who != nil && !q.who.mayUse(d.EnvironmentID) {
		return errForbiddenScope("Token is not scoped to this environment")
	}
	return nil
}
