package simulator

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Backup steps at which the platform reports a failed backup.
const (
	StepConnect = "connect"
	StepDump    = "dump"
	StepUpload  = "upload"
)

// How long a backup started through the API stays in_progress unless a
// test chooses otherwise. The platform was seen in_progress at 30 ms and
// failed within 0.5 s for a database it could not reach; a completed dump
// takes longer.
const (
	defaultBackupRunTime  = time.Second
	defaultBackupFailTime = 300 * time.Millisecond
)

// BackupOutcome is how the backups a test starts on a database end: after
// After (0: the default run time) they are completed, or failed at
// FailStep with the platform's error fields.
type BackupOutcome struct {
	After    time.Duration
	FailStep string // "": the backup completes; else StepConnect, StepDump or StepUpload
	Message  string
	Stderr   string // "": not reported
	ExitCode *int   // nil: not reported
}

// CompletedAfter is an outcome that completes after d.
func CompletedAfter(d time.Duration) BackupOutcome { return BackupOutcome{After: d} }

// FailedAt is an outcome that fails at step with message.
func FailedAt(step, message string) BackupOutcome {
	return BackupOutcome{FailStep: step, Message: message}
}

// SetBackupOutcome chooses how the database's backups started from now on
// end, instead of the default the platform would show for it (see
// defaultOutcome). Backups already running keep their outcome.
func (s *Simulator) SetBackupOutcome(databaseID string, o BackupOutcome) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	s.store.outcomes[databaseID] = o
}

// runningBackup is a started backup's end, decided when it starts or,
// while dialling, when the dial is over.
type runningBackup struct {
	finishAt time.Time
	outcome  BackupOutcome
	dialling bool
}

// outcomeFor is the test's choice for d, or what the platform does with
// such a database; dial says the end depends on reaching d's host.
func (s *Simulator) outcomeFor(d *Database, outputFile string) (o BackupOutcome, dial bool) {
	if o, ok := s.store.outcomes[d.ID]; ok {
		return o, false
	}
	anyHost := s.dumpAnyHost.Load()
	o = defaultOutcome(d, anyHost, outputFile)
	_, network := dumpTools[typeNameOf(d)]
	return o, o.FailStep == "" && network && !anyHost
}

// dumpTool is how the platform's dump of a network database fails to
// connect: the tool's words and exit code, and the port its command line
// falls back to.
type dumpTool struct {
	defaultPort int
	exitCode    int
	message     func(dialed) string
}

var dumpTools = map[string]dumpTool{
	"postgres": {5432, 1, dialed.pgDumpError},
}

func typeNameOf(d *Database) string {
	if d.DatabaseTypeID == nil {
		return ""
	}
	t, _ := typeByID(*d.DatabaseTypeID)
	return t.Name
}

// dialForDump decides a running backup's end by dialling its database's
// host, outside the store lock: nothing there fails the dump step as the
// tool would; an answer lets the dump complete.
func (s *Simulator) dialForDump(d *Database, b *Backup) {
	tool := dumpTools[typeNameOf(d)]
	host, port := hostOrLocalhost(d.Host), portOr(d.Port, tool.defaultPort)
	run := b.running
	go func() {
		r := dial(context.Background(), host, port, s.dialTimeout)
		s.store.mu.Lock()
		defer s.store.mu.Unlock()
		after := defaultBackupRunTime
		if r.failure != reached {
			msg := tool.message(r)
			run.outcome = BackupOutcome{FailStep: StepDump, Message: msg, Stderr: msg, ExitCode: ptr(tool.exitCode)}
			after = defaultBackupFailTime
		}
		run.finishAt = b.CreatedAt.Add(after)
		if now := s.now(); now.After(run.finishAt) {
			run.finishAt = now
		}
		run.dialling = false
	}()
}

// defaultOutcome follows the failures the platform was seen to report: a
// type without a backup command (or unknown) fails to connect, mongodump
// and mysqldump are missing from the platform's host, and pg_dump's
// command line breaks when the username or database name is missing.
// Everything else completes, postgres once its host is reached (see
// dialForDump). outputFile is the dump's path (the backup's storage
// path). anyHost (Options.DumpAnyHost) plays the platform as the
// simulator did before it followed the platform's host: every dump tool
// but mongodump, and pg_dump refusing only a database without
// credentials or database name.
func defaultOutcome(d *Database, anyHost bool, outputFile string) BackupOutcome {
	t, known := DatabaseType{}, false
	if d.DatabaseTypeID != nil {
		t, known = typeByID(*d.DatabaseTypeID)
	}
	switch {
	case !known || !t.HasBackupCommand:
		return FailedAt(StepConnect, "Unsupported database type or missing configuration: "+d.Type)
	case t.Name == "mongodb":
		return toolNotFound("mongodump")
	case t.Name == "mysql" && !anyHost:
		return toolNotFound("mysqldump")
	case t.Name == "postgres" && anyHost:
		// The simulator's rule before it read the command line as pg_dump
		// does, which the acceptance suite's made-up databases rely on.
		if !d.HasCredentials || d.DatabaseName == nil || *d.DatabaseName == "" {
			const tooMany = `pg_dump: error: too many command-line arguments (first is "-f")`
			return BackupOutcome{FailStep: StepDump, Message: tooMany, Stderr: tooMany, ExitCode: ptr(1)}
		}
	case t.Name == "postgres":
		if first := pgDumpLeftover(d, outputFile); first != "" {
			msg := `pg_dump: error: too many command-line arguments (first is "` + first + `")` + "\n" +
				`pg_dump: hint: Try "pg_dump --help" for more information.` + "\n"
			return BackupOutcome{FailStep: StepDump, Message: msg, Stderr: msg, ExitCode: ptr(1)}
		}
	}
	return BackupOutcome{}
}

// pgDumpLeftover reads the platform's pg_dump command line as pg_dump
// does: the template's empty values vanish in the shell's word splitting,
// so an option takes the next word as its value ("-p -U" sets the port to
// "-U"), and a word left over beside -d is refused. It returns that word,
// or "" when pg_dump would go on to connect. Seen on the platform: a
// user without a database name, no port, and nothing but a type, all
// refused; no credentials with a database name, or with neither (and a
// port), connect.
func pgDumpLeftover(d *Database, outputFile string) string {
	port := ""
	if d.Port != nil && *d.Port != 0 {
		port = strconv.Itoa(*d.Port)
	}
	user := ""
	if d.HasCredentials {
		user = d.Username
	}
	words := strings.Fields("-h " + hostOrLocalhost(d.Host) + " -p " + port + " -U " + user + " -d " + deref(d.DatabaseName))
	words = append(words, "-f", outputFile)
	withValue := map[string]bool{"-h": true, "-p": true, "-U": true, "-d": true, "-f": true}
	dbOption, leftover := false, ""
	for i := 0; i < len(words); i++ {
		switch {
		case withValue[words[i]]:
			dbOption = dbOption || words[i] == "-d"
			i++ // its value, whatever it looks like
		case leftover == "":
			leftover = words[i]
		}
	}
	if dbOption {
		return leftover
	}
	return ""
}

// toolNotFound is the dump step failing because the shell finds no such
// program on the platform's host.
func toolNotFound(tool string) BackupOutcome {
	msg := "/bin/sh: 1: " + tool + ": not found\n"
	return BackupOutcome{FailStep: StepDump, Message: msg, Stderr: msg, ExitCode: ptr(127)}
}

// startBackup records an in_progress backup of kind that ends as the
// database's outcome says. The caller holds the store lock.
func (s *Simulator) startBackup(d *Database, kind string) *Backup {
	b := s.addBackup(d, kind)
	o, dial := s.outcomeFor(d, b.StoragePath)
	after := o.After
	if after <= 0 {
		after = defaultBackupRunTime
		if o.FailStep != "" {
			after = defaultBackupFailTime
		}
	}
	b.Status, b.Size, b.CompletedAt = BackupInProgress, 0, nil
	b.running = &runningBackup{finishAt: b.CreatedAt.Add(after), outcome: o, dialling: dial}
	if dial {
		s.dialForDump(d, b)
	}
	return b
}

// settle finishes b if its time has come. The caller holds the store lock.
func (st *store) settle(b *Backup) {
	r := b.running
	if r == nil || r.dialling || st.clock().Before(r.finishAt) {
		return
	}
	b.running = nil
	b.CompletedAt = ptr(r.finishAt.UTC().Truncate(time.Millisecond))
	if r.outcome.FailStep == "" {
		b.Status = BackupCompleted
		b.Size = backupSize(b.Filename)
		return
	}
	b.Status, b.Size = BackupFailed, 0
	b.Error = ptr(backupErrorString(r.outcome))
}

// backupErrorString is the platform's `error` of a failed backup: not an
// object but a JSON-encoded string.
func backupErrorString(o BackupOutcome) string {
	e := struct {
		Message  string `json:"message"`
		Step     string `json:"step"`
		Stderr   string `json:"stderr,omitempty"`
		ExitCode *int   `json:"exitCode,omitempty"`
	}{o.Message, o.FailStep, o.Stderr, o.ExitCode}
	raw, _ := json.Marshal(e)
	return string(raw)
}

// BackupErrorString renders a failure the way the platform stores it, for
// tests that seed failed rows.
func BackupErrorString(step, message string) string {
	return backupErrorString(FailedAt(step, message))
}
