package simulator

import (
	"math"
	"strconv"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// Platform-wide retention settings of the recorded server, from
// api.Platform.Policy.
var (
	policyRules = api.Platform.Policy
	// globalPreset is the global default every database inherits.
	globalPreset = policyRules.GlobalDefault
	// rotationConfirmThreshold (backupRotationConfirmThreshold): a policy
	// PUT that would prune more backups than this needs confirm:true.
	rotationConfirmThreshold = int(policyRules.ConfirmThreshold)
	// maxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER, the bound of
	// maxTotalBytes.
	maxSafeInteger = float64(policyRules.Ranges.MaxTotalBytes.Max)
)

// rotationSSHError is what rotation records on backups it could not
// delete from a remote server.
const rotationSSHError = "SSH key not configured for this environment"

// RetentionPolicy is a GFS retention policy: its preset label, the five
// tiers, the safety floor and the optional size cap.
type RetentionPolicy struct {
	Preset        string
	KeepLast      int
	Daily         int
	Weekly        int
	Monthly       int
	Yearly        int
	MinFloor      int
	MaxTotalBytes *int64
}

// policyTier is one integer field of the policy body, with its bounds
// (inclusive) as the platform enforces them.
type policyTier struct {
	key    string
	bounds api.Range
	field  func(*RetentionPolicy) *int
	preset func(api.PolicyPreset) int64
}

var policyTiers = []policyTier{
	{"keepLast", policyRules.Ranges.KeepLast, func(p *RetentionPolicy) *int { return &p.KeepLast }, func(p api.PolicyPreset) int64 { return p.KeepLast }},
	{"daily", policyRules.Ranges.Daily, func(p *RetentionPolicy) *int { return &p.Daily }, func(p api.PolicyPreset) int64 { return p.Daily }},
	{"weekly", policyRules.Ranges.Weekly, func(p *RetentionPolicy) *int { return &p.Weekly }, func(p api.PolicyPreset) int64 { return p.Weekly }},
	{"monthly", policyRules.Ranges.Monthly, func(p *RetentionPolicy) *int { return &p.Monthly }, func(p api.PolicyPreset) int64 { return p.Monthly }},
	{"yearly", policyRules.Ranges.Yearly, func(p *RetentionPolicy) *int { return &p.Yearly }, func(p api.PolicyPreset) int64 { return p.Yearly }},
	{"minFloor", policyRules.Ranges.MinFloor, func(p *RetentionPolicy) *int { return &p.MinFloor }, func(p api.PolicyPreset) int64 { return p.MinFloor }},
}

// presets are the named policies; a named preset's tiers win over the
// tiers a request sends.
var presets = namedPresets(policyRules.Presets)

func namedPresets(list []api.PolicyPreset) map[string]RetentionPolicy {
	out := make(map[string]RetentionPolicy, len(list))
	for _, pr := range list {
		p := RetentionPolicy{Preset: pr.Name}
		for _, t := range policyTiers {
			*t.field(&p) = int(t.preset(pr))
		}
		out[pr.Name] = p
	}
	return out
}

var presetNames = policyRules.PresetNames

// policyOverride is a database's own policy row.
type policyOverride struct {
	ID            string
	DatabaseID    string
	InheritGlobal bool
	AutoApplied   bool
	Policy        RetentionPolicy
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func globalPolicy() RetentionPolicy { return presets[globalPreset] }

// effectivePolicy is the policy rotation uses and its source. A row with
// inheritGlobal:true still exists but the database is "inherited".
func (st *store) effectivePolicy(dbID string) (RetentionPolicy, string) {
	row := st.policies[dbID]
	if row == nil || row.InheritGlobal {
		return globalPolicy(), "inherited"
	}
	return row.Policy, "override"
}

// tiersView is the tiers and cap, which the effective policy and the
// override row both carry under the same keys.
type tiersView struct {
	KeepLast      int    `json:"keepLast"`
	Daily         int    `json:"daily"`
	Weekly        int    `json:"weekly"`
	Monthly       int    `json:"monthly"`
	Yearly        int    `json:"yearly"`
	MinFloor      int    `json:"minFloor"`
	MaxTotalBytes *int64 `json:"maxTotalBytes"`
}

func viewTiers(p RetentionPolicy) tiersView {
	return tiersView{KeepLast: p.KeepLast, Daily: p.Daily, Weekly: p.Weekly, Monthly: p.Monthly, Yearly: p.Yearly,
		MinFloor: p.MinFloor, MaxTotalBytes: clonePtr(p.MaxTotalBytes)}
}

type policyView struct {
	tiersView
	Preset      string `json:"preset"`
	Source      string `json:"source"`
	AutoApplied bool   `json:"autoApplied"`
}

func viewPolicy(p RetentionPolicy, source string) policyView {
	return policyView{tiersView: viewTiers(p), Preset: p.Preset, Source: source}
}

type overrideView struct {
	ID            string `json:"id"`
	DatabaseID    string `json:"databaseId"`
	InheritGlobal bool   `json:"inheritGlobal"`
	Preset        string `json:"preset"`
	AutoApplied   bool   `json:"autoApplied"`
	tiersView
	CreatedAt string `json:"createdAt"`
	UpdatedAt string `json:"updatedAt"`
}

func viewOverride(o *policyOverride) *overrideView {
	if o == nil {
		return nil
	}
	p := o.Policy
	return &overrideView{ID: o.ID, DatabaseID: o.DatabaseID, InheritGlobal: o.InheritGlobal, Preset: p.Preset,
		AutoApplied: o.AutoApplied, tiersView: viewTiers(p), CreatedAt: jsTime(o.CreatedAt), UpdatedAt: jsTime(o.UpdatedAt)}
}

// policyInput is a validated policy body: only what was sent.
type policyInput struct {
	preset        *string
	tiers         map[string]int
	maxSent       bool
	maxTotalBytes *int64
	inheritGlobal bool
	confirm       bool
}

// parsePolicyBody validates a PUT body (partial=false: preset and all six
// tiers required) or a preview body (partial=true: everything optional).
// Every bad field is reported at once, in schema order.
func parsePolicyBody(body any, present, partial bool) (policyInput, []Issue) {
	in := policyInput{tiers: map[string]int{}}
	obj, notObject := asObject(body, present)
	if notObject != nil {
		return in, notObject
	}
	var issues []Issue
	if raw, sent := obj.vals["preset"]; sent {
		v, errs := checkEnum(raw, []string{"preset"}, presetNames)
		issues = append(issues, errs...)
		if s, ok := v.(string); ok {
			in.preset = &s
		}
	} else if !partial {
		// zod's enum reports a missing value as one outside the enum.
		_, errs := checkEnum(nil, []string{"preset"}, presetNames)
		issues = append(issues, errs...)
	}
	for _, t := range policyTiers {
		raw, sent := obj.vals[t.key]
		if !sent {
			if !partial {
				issues = append(issues, typeIssue([]string{t.key}, "number", "undefined"))
			}
			continue
		}
		n, errs := checkInt(raw, []string{t.key}, float64(t.bounds.Min), float64(t.bounds.Max))
		issues = append(issues, errs...)
		if errs == nil {
			in.tiers[t.key] = int(n)
		}
	}
	if raw, sent := obj.vals["maxTotalBytes"]; sent {
		in.maxSent = true
		if raw != nil {
			n, errs := checkInt(raw, []string{"maxTotalBytes"}, 0, maxSafeInteger)
			issues = append(issues, errs...)
			in.maxTotalBytes = &n
		}
	}
	flags := []struct {
		key string
		dst *bool
	}{{"inheritGlobal", &in.inheritGlobal}, {"confirm", &in.confirm}}
	for _, f := range flags {
		if raw, sent := obj.vals[f.key]; sent {
			v, errs := checkBool(raw, []string{f.key})
			issues = append(issues, errs...)
			*f.dst, _ = v.(bool)
		}
	}
	return in, issues
}

// checkInt is zod's z.number().int().min(lo).max(hi): 1.5 is "expected
// int, received number", "5" is "expected number, received string".
func checkInt(raw any, path []string, lo, hi float64) (int64, []Issue) {
	v, issues := checkNumber(raw, path, nil, nil)
	if issues != nil {
		return 0, issues
	}
	f := v.(float64)
	if f != math.Trunc(f) {
		is := typeIssue(path, "int", "number")
		is.Format = "safeint" // zod's .int() is a safe-integer check
		return 0, []Issue{is}
	}
	if f > hi && hi == maxSafeInteger {
		is := sizeIssue(path, "int", "too_big", hi)
		is.Note = "Integers must be within the safe integer range."
		is.Message = "Too big: expected int to be <=" + strconv.FormatFloat(hi, 'f', -1, 64)
		return 0, []Issue{is}
	}
	if f < lo {
		return 0, []Issue{sizeIssue(path, "number", "too_small", lo)}
	}
	if f > hi {
		return 0, []Issue{sizeIssue(path, "number", "too_big", hi)}
	}
	return int64(f), nil
}

// overlay applies a body on a base policy. A named preset sent in the body
// replaces the tiers (whatever tiers came with it) but keeps the cap; an
// omitted maxTotalBytes keeps the base's.
func (in policyInput) overlay(base RetentionPolicy) RetentionPolicy {
	p := base
	p.MaxTotalBytes = clonePtr(base.MaxTotalBytes)
	if in.preset != nil {
		p.Preset = *in.preset
	}
	for _, t := range policyTiers {
		if n, sent := in.tiers[t.key]; sent {
			*t.field(&p) = n
		}
	}
	if in.maxSent {
		p.MaxTotalBytes = clonePtr(in.maxTotalBytes)
	}
	if named, ok := presets[p.Preset]; ok && in.preset != nil {
		named.MaxTotalBytes = p.MaxTotalBytes
		p = named
	}
	if in.inheritGlobal {
		label := p.Preset
		p = globalPolicy()
		p.Preset = label
	}
	return p
}

type backupItem struct {
	ID        string `json:"id"`
	Filename  string `json:"filename"`
	CreatedAt string `json:"createdAt"`
	Size      int64  `json:"size"`
}

func backupItems(bs []*Backup) []backupItem {
	out := []backupItem{}
	for _, b := range bs {
		out = append(out, backupItem{ID: b.ID, Filename: b.Filename, CreatedAt: jsTime(b.CreatedAt), Size: b.Size})
	}
	return out
}

func backupIDs(bs []*Backup) []string {
	out := []string{}
	for _, b := range bs {
		out = append(out, b.ID)
	}
	return out
}

func (s *Simulator) getBackupPolicy(q *request) reply {
	return s.withDatabase(q, func(d *Database) reply {
		p, source := s.store.effectivePolicy(d.ID)
		return ok(map[string]any{
			"effective":     viewPolicy(p, source),
			"override":      viewOverride(s.store.policies[d.ID]),
			"globalDefault": viewPolicy(globalPolicy(), "inherited"),
			"source":        source,
		})
	})
}

// putBackupPolicy replaces the database's policy and applies it at once:
// backups the new policy does not keep are deleted in this request.
func (s *Simulator) putBackupPolicy(q *request) reply {
	in, issues := parsePolicyBody(q.body, q.hasBody, false)
	if len(issues) > 0 {
		return q.fail(errInvalidInput(issues))
	}
	return s.withDatabase(q, func(d *Database) reply {
		out, conflict := s.putPolicy(d, in)
		if conflict != nil {
			return reply{status: 409, body: marshal(conflict)}
		}
		return ok(out)
	})
}

// putPolicy stores and applies a validated policy. More than
// rotationConfirmThreshold deletions need confirm:true; otherwise nothing
// is saved and conflict is the body of the platform's 409, which is not an
// error envelope (no code, message or requestId). The caller holds the
// store lock.
func (s *Simulator) putPolicy(d *Database, in policyInput) (out, conflict map[string]any) {
	id := d.ID
	var noCap RetentionPolicy // PUT replaces the whole row: an omitted cap is no cap
	p := in.overlay(noCap)
	if in.inheritGlobal {
		p.MaxTotalBytes = nil
	}
	rot := selectRotation(p, s.store.backupsOf(id))
	if len(rot.prune) > rotationConfirmThreshold && !in.confirm {
		return nil, map[string]any{
			"confirmationRequired": true,
			"preview": map[string]any{"keep": backupItems(rot.keep), "prune": backupItems(rot.prune),
				"bytesFreed": rot.bytesFreed},
		}
	}
	now := s.now()
	row := s.store.policies[id]
	if row == nil {
		row = &policyOverride{ID: s.ids.next(), DatabaseID: id, CreatedAt: now}
		s.store.policies[id] = row
	}
	row.Policy, row.InheritGlobal, row.UpdatedAt = p, in.inheritGlobal, now
	return map[string]any{"override": viewOverride(row), "rotation": s.applyRotation(d, rot)}, nil
}

// rotationView is the answer of a rotation that ran.
type rotationView struct {
	Keep                 []string `json:"keep"`
	Prune                []string `json:"prune"`
	BytesFreed           int64    `json:"bytesFreed"`
	CappedButUnreachable bool     `json:"cappedButUnreachable"`
}

// applyRotation deletes the pruned backups, file first, then the row. On a
// remote server the simulator has no SSH key for the file, so, like the
// platform, it keeps every row, records lastRotationError and reports
// nothing pruned, without any error in the answer. With no server (or
// "localhost") a missing file does not stop the row's deletion.
func (s *Simulator) applyRotation(d *Database, rot rotation) rotationView {
	out := rotationView{Keep: backupIDs(rot.keep), Prune: []string{}, CappedButUnreachable: rot.cappedButUnreachable}
	remote := false
	if d.ServerID != nil {
		srv := s.store.servers[*d.ServerID]
		remote = srv != nil && srv.Name != "localhost"
	}
	for _, b := range rot.prune {
		if remote {
			b.LastRotationError = ptr(rotationSSHError)
			continue
		}
		delete(s.store.backups, b.ID)
		out.Prune = append(out.Prune, b.ID)
		out.BytesFreed += b.Size
	}
	return out
}

// deleteBackupPolicy reverts the database to the global default; it
// answers the same when there was no override.
func (s *Simulator) deleteBackupPolicy(q *request) reply {
	return s.withDatabase(q, func(d *Database) reply {
		delete(s.store.policies, d.ID)
		return ok(map[string]any{"effective": viewPolicy(globalPolicy(), "inherited"), "source": "inherited"})
	})
}

// previewBackupPolicy is a dry run, allowed for viewers: the body (all
// fields optional, confirm ignored) is laid over the current policy, and
// nothing is deleted. No body previews the current policy as it is; any
// body, even {}, makes the source "override".
func (s *Simulator) previewBackupPolicy(q *request) reply {
	var in policyInput
	if q.hasBody {
		var issues []Issue
		if in, issues = parsePolicyBody(q.body, true, true); len(issues) > 0 {
			return q.fail(errInvalidInput(issues))
		}
	}
	return s.withDatabase(q, func(d *Database) reply {
		p, source := s.store.effectivePolicy(d.ID)
		if q.hasBody {
			p, source = in.overlay(p), "override"
		}
		rot := selectRotation(p, s.store.backupsOf(d.ID))
		return ok(map[string]any{"policy": viewPolicy(p, source), "keep": backupItems(rot.keep),
			"prune": backupItems(rot.prune), "bytesFreed": rot.bytesFreed, "cappedButUnreachable": rot.cappedButUnreachable})
	})
}

// rotateBackups runs the effective policy now. It has no dry run: query
// parameters and body are ignored.
func (s *Simulator) rotateBackups(q *request) reply {
	return s.withDatabase(q, func(d *Database) reply {
		p, _ := s.store.effectivePolicy(d.ID)
		return ok(s.applyRotation(d, selectRotation(p, s.store.backupsOf(d.ID))))
	})
}

// BackupPolicy is a database's effective retention policy and its source
// ("override" or "inherited"), as GET …/backup-policy reports it; ok is
// false for an unknown database, and on a release without policies.
func (s *Simulator) BackupPolicy(databaseID string) (p RetentionPolicy, source string, ok bool) {
	if !s.release.retention {
		return p, "", false
	}
	err := s.onDatabase(databaseID, func(d *Database) error {
		p, source = s.store.effectivePolicy(d.ID)
		p.MaxTotalBytes = clonePtr(p.MaxTotalBytes)
		return nil
	})
	return p, source, err == nil
}

// HasBackupPolicyOverride reports whether the database has its own policy
// row (also true for a row stored with inheritGlobal:true).
func (s *Simulator) HasBackupPolicyOverride(databaseID string) bool {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	return s.store.policies[databaseID] != nil
}

// PutBackupPolicy changes a database's policy behind Terraform's back, as
// the platform's UI does: body is a PUT body (validated as the API does)
// and the policy is applied at once. A refused confirmation is a 409
// CONFLICT error here; a release without policies refuses it.
func (s *Simulator) PutBackupPolicy(databaseID string, body map[string]any) error {
	if !s.release.retention {
		return s.release.errNoRetention("retention policies")
	}
	obj, err := objectFromMap(body)
	if err != nil {
		return err
	}
	in, issues := parsePolicyBody(obj, true, false)
	if len(issues) > 0 {
		return errInvalidInput(issues)
	}
	return s.onDatabase(databaseID, func(d *Database) error {
		if _, conflict := s.putPolicy(d, in); conflict != nil {
			return errConflict("confirmation required: more than 5 backups would be deleted")
		}
		return nil
	})
}

// DeleteBackupPolicy reverts a database to the global default out of band.
func (s *Simulator) DeleteBackupPolicy(databaseID string) {
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	delete(s.store.policies, databaseID)
}
