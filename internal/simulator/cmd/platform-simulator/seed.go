package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/simulator"
)

// seedFile is the estate -seed-file starts the simulator with. Databases,
// schedules and policies go through the same validation as the API routes,
// so a seed describes only what the platform itself could hold; unknown keys
// are errors, because a typo would otherwise leave a test running against
// a different estate than its author wrote.
type seedFile struct {
	Tokens       []seedToken       `json:"tokens"`
	Environments []seedEnvironment `json:"environments"`
}

type seedToken struct {
	Value          string   `json:"value"`
	Role           string   `json:"role"`
	Environments   []string `json:"environments"`
	ServiceAccount string   `json:"serviceAccount"`
	User           bool     `json:"user"`
}

type seedEnvironment struct {
	Name      string         `json:"name"`
	Servers   []string       `json:"servers"`
	Databases []seedDatabase `json:"databases"`
}

// seedDatabase is a create body (the API's JSON names, as
// POST /api/environments/{envId}/databases takes them) plus the keys below,
// which are not part of that body.
type seedDatabase struct {
	body     map[string]any
	Server   string         `json:"server"`
	Schedule map[string]any `json:"schedule"`
	Policy   map[string]any `json:"backupPolicy"`
	Backups  []seedBackup   `json:"backups"`
}

type seedBackup struct {
	CreatedAt string `json:"createdAt"`
	Age       string `json:"age"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	Pinned    bool   `json:"pinned"`
	Size      int64  `json:"size"`
	Filename  string `json:"filename"`
	ErrorStep string `json:"errorStep"`
	Error     string `json:"error"`
}

// seedOnlyKeys are the keys of a database entry that are not create-body
// fields.
var seedOnlyKeys = []string{"server", "schedule", "backupPolicy", "backups"}

func (d *seedDatabase) UnmarshalJSON(raw []byte) error {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return err
	}
	fields := simulator.DatabaseFields()
	own := map[string]json.RawMessage{}
	d.body = map[string]any{}
	for k, v := range all {
		switch {
		case slices.Contains(seedOnlyKeys, k):
			own[k] = v
		case slices.Contains(fields, k):
			var x any
			dec := json.NewDecoder(bytes.NewReader(v))
			dec.UseNumber() // 5432.5 must reach the platform's rules as sent
			if err := dec.Decode(&x); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			d.body[k] = x
		default:
			return fmt.Errorf("unknown database key %q (the create body's fields: %s; and %s)",
				k, strings.Join(fields, ", "), strings.Join(seedOnlyKeys, ", "))
		}
	}
	type plain seedDatabase // without this method
	rest, _ := json.Marshal(own)
	return strictDecode(rest, (*plain)(d))
}

func strictDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

func readSeed(path string) (*seedFile, error) {
	raw, err := os.ReadFile(path) //nolint:gosec // G304: reading the file the user named is the point of -seed-file
	if err != nil {
		return nil, err
	}
	var f seedFile
	if err := strictDecode(raw, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &f, nil
}

// seeded is what applySeed created, for the start-up lines.
type seeded struct {
	envs      []string
	servers   [][3]string // environment, name, id
	databases [][3]string // environment, name, id
	tokens    []simulator.Token
}

// applySeed builds the estate on sim. now dates backups given by age.
func applySeed(sim *simulator.Simulator, f *seedFile, now time.Time) (*seeded, error) {
	out := &seeded{}
	for _, t := range f.Tokens {
		tok, err := seedTokenOf(t)
		if err != nil {
			return nil, err
		}
		sim.AddToken(tok)
		out.tokens = append(out.tokens, tok)
	}
	for _, e := range f.Environments {
		if e.Name == "" {
			return nil, errors.New("an environment without a name")
		}
		envID := sim.CreateEnvironment(e.Name)
		out.envs = append(out.envs, e.Name)
		servers := map[string]string{}
		for _, s := range e.Servers {
			servers[s] = sim.AddServer(envID, s)
			out.servers = append(out.servers, [3]string{e.Name, s, servers[s]})
		}
		for _, d := range e.Databases {
			name, _ := d.body["name"].(string)
			where := fmt.Sprintf("environment %q, database %q", e.Name, name)
			id, err := seedDatabaseIn(sim, envID, servers, d, now)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", where, err)
			}
			out.databases = append(out.databases, [3]string{e.Name, name, id})
		}
	}
	return out, nil
}

func seedTokenOf(t seedToken) (simulator.Token, error) {
	role := simulator.Role(t.Role)
	if t.Value == "" || (role != simulator.RoleViewer && role != simulator.RoleOperator && role != simulator.RoleAdmin) {
		return simulator.Token{}, fmt.Errorf("token %q: want a value and a role of viewer, operator or admin", t.Value)
	}
	if t.User && t.ServiceAccount != "" {
		return simulator.Token{}, fmt.Errorf("token %q: a user's (\"user\": true) or service account %q's, not both", t.Value, t.ServiceAccount)
	}
	return simulator.Token{Value: t.Value, Role: role, Environments: t.Environments, ServiceAccount: t.ServiceAccount, User: t.User}, nil
}

func seedDatabaseIn(sim *simulator.Simulator, envID string, servers map[string]string, d seedDatabase, now time.Time) (string, error) {
	if d.Server != "" {
		id, ok := servers[d.Server]
		if !ok {
			return "", fmt.Errorf("server %q is not among the environment's servers", d.Server)
		}
		d.body["serverId"] = id
	}
	id, err := sim.CreateDatabase(envID, d.body)
	if err != nil {
		return "", explain(err)
	}
	if d.Schedule != nil {
		if err := sim.PutSchedule(id, d.Schedule); err != nil {
			return "", fmt.Errorf("schedule: %w", explain(err))
		}
	}
	// The policy before the backups: a policy write rotates at once, and a
	// seed means the backups it lists to be there.
	if d.Policy != nil {
		if err := sim.PutBackupPolicy(id, withPresetTiers(d.Policy)); err != nil {
			return "", fmt.Errorf("backupPolicy: %w", explain(err))
		}
	}
	for i, b := range d.Backups {
		in, err := seedBackupOf(b, now)
		if err != nil {
			return "", fmt.Errorf("backups[%d]: %w", i, err)
		}
		if _, err := sim.SeedBackup(id, in); err != nil {
			return "", fmt.Errorf("backups[%d]: %w", i, explain(err))
		}
	}
	return id, nil
}

// withPresetTiers fills the tiers a named preset fixes: the platform
// requires all six in the body even then (and replaces them with the
// preset's), which a seed need not repeat.
func withPresetTiers(body map[string]any) map[string]any {
	name, _ := body["preset"].(string)
	p, ok := api.Platform.Policy.Preset(name)
	if !ok {
		return body
	}
	out := maps.Clone(body)
	for k, v := range map[string]int64{"keepLast": p.KeepLast, "daily": p.Daily, "weekly": p.Weekly,
		"monthly": p.Monthly, "yearly": p.Yearly, "minFloor": p.MinFloor} {
		if _, set := out[k]; !set {
			out[k] = v
		}
	}
	return out
}

func seedBackupOf(b seedBackup, now time.Time) (simulator.SeedBackup, error) {
	in := simulator.SeedBackup{Kind: b.Kind, Status: b.Status, Pinned: b.Pinned, Size: b.Size, Filename: b.Filename}
	switch {
	case b.CreatedAt != "" && b.Age != "":
		return in, errors.New("createdAt and age both set")
	case b.CreatedAt != "":
		t, err := time.Parse(time.RFC3339, b.CreatedAt)
		if err != nil {
			return in, fmt.Errorf("createdAt: %w", err)
		}
		in.CreatedAt = t
	case b.Age != "":
		age, err := time.ParseDuration(b.Age)
		if err != nil || age < 0 {
			return in, fmt.Errorf("age %q: want a Go duration such as 36h", b.Age)
		}
		in.CreatedAt = now.Add(-age)
	}
	if !slices.Contains([]string{"", simulator.BackupManual, simulator.BackupScheduled}, b.Kind) {
		return in, fmt.Errorf("kind %q: want manual or scheduled", b.Kind)
	}
	// A seeded backup runs nowhere, so one left in progress would never end.
	switch b.Status {
	case "", simulator.BackupCompleted:
		if b.Error != "" || b.ErrorStep != "" {
			return in, errors.New("error and errorStep belong to a failed backup")
		}
	case simulator.BackupFailed:
		step := b.ErrorStep
		if step == "" {
			step = simulator.StepDump
		}
		if !slices.Contains([]string{simulator.StepConnect, simulator.StepDump, simulator.StepUpload}, step) {
			return in, fmt.Errorf("errorStep %q: want connect, dump or upload", step)
		}
		msg := b.Error
		if msg == "" {
			msg = "seeded failure"
		}
		in.Error = ptr(simulator.BackupErrorString(step, msg))
	default:
		return in, fmt.Errorf("status %q: want completed or failed", b.Status)
	}
	return in, nil
}

// explain adds a validation error's details, which say which field the
// platform refused and why.
func explain(err error) error {
	var e *simulator.APIError
	if !errors.As(err, &e) || len(e.Details) == 0 {
		return err
	}
	details, _ := json.Marshal(e.Details)
	return fmt.Errorf("%w %s", err, details)
}

func ptr[T any](v T) *T { return &v }
