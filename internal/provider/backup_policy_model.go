package provider

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

// The platform's retention-policy rules come from api.Platform.Policy: the
// schema's validators, the plan's preset values and the docs all read the
// names below, and TestSchemaFollowsThePlatform checks the schema against
// that table.
const (
	presetCustom   = "custom"
	sourceOverride = "override"
)

var (
	policyRules = api.Platform.Policy
	// maxTotalBytesLimit is JavaScript's Number.MAX_SAFE_INTEGER, the
	// platform's upper bound for maxTotalBytes.
	maxTotalBytesLimit = policyRules.Ranges.MaxTotalBytes.Max
)

// policyTier is one of the six integers every policy write carries, with
// the platform's inclusive bounds.
type policyTier struct {
	attr        string
	min, max    int64
	description string
	model       func(*backupPolicyModel) *fwtypes.WholeNumber
	api         func(*client.BackupPolicy) *int64
	preset      func(api.PolicyPreset) int64
}

var policyTiers = []policyTier{
	{"keep_last", policyRules.Ranges.KeepLast.Min, policyRules.Ranges.KeepLast.Max, "How many of the newest backups are kept, whatever their age.",
		func(m *backupPolicyModel) *fwtypes.WholeNumber { return &m.KeepLast }, func(p *client.BackupPolicy) *int64 { return &p.KeepLast },
		func(p api.PolicyPreset) int64 { return p.KeepLast }},
	{"daily", policyRules.Ranges.Daily.Min, policyRules.Ranges.Daily.Max, "For how many of the most recent days that have a backup the newest backup of the day is kept.",
		func(m *backupPolicyModel) *fwtypes.WholeNumber { return &m.Daily }, func(p *client.BackupPolicy) *int64 { return &p.Daily },
		func(p api.PolicyPreset) int64 { return p.Daily }},
	{"weekly", policyRules.Ranges.Weekly.Min, policyRules.Ranges.Weekly.Max, "For how many of the most recent ISO weeks (Monday to Sunday, UTC) that have a backup the newest backup of the week is kept.",
		func(m *backupPolicyModel) *fwtypes.WholeNumber { return &m.Weekly }, func(p *client.BackupPolicy) *int64 { return &p.Weekly },
		func(p api.PolicyPreset) int64 { return p.Weekly }},
	{"monthly", policyRules.Ranges.Monthly.Min, policyRules.Ranges.Monthly.Max, "For how many of the most recent calendar months (UTC) that have a backup the newest backup of the month is kept.",
		func(m *backupPolicyModel) *fwtypes.WholeNumber { return &m.Monthly }, func(p *client.BackupPolicy) *int64 { return &p.Monthly },
		func(p api.PolicyPreset) int64 { return p.Monthly }},
	{"yearly", policyRules.Ranges.Yearly.Min, policyRules.Ranges.Yearly.Max, "For how many of the most recent calendar years (UTC) that have a backup the newest backup of the year is kept.",
		func(m *backupPolicyModel) *fwtypes.WholeNumber { return &m.Yearly }, func(p *client.BackupPolicy) *int64 { return &p.Yearly },
		func(p api.PolicyPreset) int64 { return p.Yearly }},
	{"min_floor", policyRules.Ranges.MinFloor.Min, policyRules.Ranges.MinFloor.Max, "The safety floor: at least this many completed backups always stay, counting manual and pinned ones.",
		func(m *backupPolicyModel) *fwtypes.WholeNumber { return &m.MinFloor }, func(p *client.BackupPolicy) *int64 { return &p.MinFloor },
		func(p api.PolicyPreset) int64 { return p.MinFloor }},
}

// backupPolicyPresets are the platform's named presets, tiers in
// policyTiers order. The platform stores a named preset's tiers whatever
// tiers the request carries, so the plan shows these.
var backupPolicyPresets = presetTiers(policyRules.Presets)

func presetTiers(presets []api.PolicyPreset) map[string][6]int64 {
	out := make(map[string][6]int64, len(presets))
	for _, p := range presets {
		var tiers [6]int64
		for i, t := range policyTiers {
			tiers[i] = t.preset(p)
		}
		out[p.Name] = tiers
	}
	return out
}

// presetNames lists the presets in the platform's order, custom last.
var presetNames = policyRules.PresetNames

// backupPolicyDataModel is the policy as the platform holds it: what the
// data source shows.
type backupPolicyDataModel struct {
	ID            types.String        `tfsdk:"id"`
	DatabaseID    types.String        `tfsdk:"database_id"`
	Preset        types.String        `tfsdk:"preset"`
	KeepLast      fwtypes.WholeNumber `tfsdk:"keep_last"`
	Daily         fwtypes.WholeNumber `tfsdk:"daily"`
	Weekly        fwtypes.WholeNumber `tfsdk:"weekly"`
	Monthly       fwtypes.WholeNumber `tfsdk:"monthly"`
	Yearly        fwtypes.WholeNumber `tfsdk:"yearly"`
	MinFloor      fwtypes.WholeNumber `tfsdk:"min_floor"`
	MaxTotalBytes fwtypes.WholeNumber `tfsdk:"max_total_bytes"`
	Source        types.String        `tfsdk:"source"`
	AutoApplied   types.Bool          `tfsdk:"auto_applied"`
}

// backupPolicyModel is the resource's state: the policy, and max_prune,
// which only means something to an apply.
type backupPolicyModel struct {
	backupPolicyDataModel
	MaxPrune fwtypes.WholeNumber `tfsdk:"max_prune"`
}

// backupPolicyFromAPI is the effective policy as Terraform sees it; maxPrune
// is Terraform-only and carried over from the prior state or plan.
func backupPolicyFromAPI(dbID string, p client.BackupPolicy, maxPrune fwtypes.WholeNumber) backupPolicyModel {
	m := backupPolicyModel{MaxPrune: maxPrune, backupPolicyDataModel: backupPolicyDataModel{
		ID:            types.StringValue(dbID),
		DatabaseID:    types.StringValue(dbID),
		Preset:        types.StringValue(p.Preset),
		MaxTotalBytes: fwtypes.WholeNumberPointer(p.MaxTotalBytes),
		Source:        types.StringValue(p.Source),
		AutoApplied:   types.BoolValue(p.AutoApplied),
	}}
	if m.MaxPrune.IsNull() || m.MaxPrune.IsUnknown() {
		m.MaxPrune = fwtypes.WholeNumberValue(0)
	}
	for _, t := range policyTiers {
		*t.model(&m) = fwtypes.WholeNumberValue(*t.api(&p))
	}
	return m
}

// backupPolicyOverrideAsPolicy reads the PUT's answer (the stored row) as
// the effective policy it now is.
func backupPolicyOverrideAsPolicy(o client.BackupPolicyOverride) client.BackupPolicy {
	source := sourceOverride
	if o.InheritGlobal {
		source = "inherited"
	}
	return client.BackupPolicy{Preset: o.Preset, KeepLast: o.KeepLast, Daily: o.Daily, Weekly: o.Weekly, Monthly: o.Monthly,
		Yearly: o.Yearly, MinFloor: o.MinFloor, MaxTotalBytes: o.MaxTotalBytes, Source: source, AutoApplied: o.AutoApplied}
}

// backupPolicyToAPI sends the whole policy: the platform replaces it on
// every write, so a null max_total_bytes goes out as null and clears the cap.
func backupPolicyToAPI(m backupPolicyModel) client.BackupPolicyInput {
	in := client.BackupPolicyInput{Preset: m.Preset.ValueString(), MaxTotalBytes: m.MaxTotalBytes.ValueInt64Pointer()}
	p := client.BackupPolicy{}
	for _, t := range policyTiers {
		*t.api(&p) = t.model(&m).ValueInt64()
	}
	in.KeepLast, in.Daily, in.Weekly, in.Monthly, in.Yearly, in.MinFloor = p.KeepLast, p.Daily, p.Weekly, p.Monthly, p.Yearly, p.MinFloor
	return in
}

// samePolicy: the platform would store the same thing for both models.
func samePolicy(a, b backupPolicyModel) bool {
	if !a.Preset.Equal(b.Preset) || !a.MaxTotalBytes.Equal(b.MaxTotalBytes) {
		return false
	}
	for _, t := range policyTiers {
		if !t.model(&a).Equal(*t.model(&b)) {
			return false
		}
	}
	return true
}

// pruneSummary describes the backups a policy write deletes now.
type pruneSummary struct {
	count          int
	bytes          int64
	oldest, newest string
}

func summarizePrune(prune []client.BackupRef) pruneSummary {
	s := pruneSummary{count: len(prune)}
	dates := make([]string, 0, len(prune))
	for _, b := range prune {
		s.bytes += b.Size
		dates = append(dates, b.CreatedAt)
	}
	// The platform's timestamps share one ISO 8601 UTC format, so text
	// order is time order.
	sort.Strings(dates)
	if len(dates) > 0 {
		s.oldest, s.newest = dates[0], dates[len(dates)-1]
	}
	return s
}

// describe is the sentence the plan warning and the apply error share.
func (s pruneSummary) describe() string {
	what := fmt.Sprintf("%d existing backup(s), freeing %s", s.count, formatBytes(s.bytes))
	if s.oldest == s.newest {
		return what + fmt.Sprintf("; the backup is from %s", s.oldest)
	}
	return what + fmt.Sprintf("; the oldest is from %s, the newest from %s", s.oldest, s.newest)
}

// pruner is what deletes the backups a preview lists, in the words of
// the plan's warning and the refusal: writing a policy (the policy
// resource) or applying the current one now (the apply-retention action).
type pruner struct {
	// subject starts the warning's summary: "<subject> deletes N ...".
	subject string
	// doing starts the warning's detail: "<doing> makes the platform delete ...".
	doing string
	// step is what refuses or goes ahead: "the apply", "the action".
	step string
	// refusal is the refusal's summary.
	refusal string
	// deletes says, in the refusal's detail, what deletes the backups: "%q" is the database.
	deletes string
	// alternative ends the refusal: the other way out than raising max_prune.
	alternative string
	// did starts the outcome's warnings: "%q" is the database.
	did string
}

var (
	policyWrite = pruner{
		subject: "Backup policy", doing: "Applying this policy", step: "the apply",
		refusal:     "Backup policy would delete more backups than max_prune allows",
		deletes:     "The policy for database %q deletes",
		alternative: "choose a policy that keeps them",
		did:         "Writing the policy of database %q",
	}
	retentionRun = pruner{
		subject: "Applying the retention policy", doing: "Applying the retention policy now", step: "the action",
		refusal:     "Applying the retention policy would delete more backups than max_prune allows",
		deletes:     "The retention policy of database %q, applied now, deletes",
		alternative: "change the database's policy (platform_database_backup_policy) to keep them",
		did:         "Applying the retention policy of database %q",
	}
)

// warning is the plan's warning for a run that deletes backups, and
// whether max_prune lets it go ahead.
func (p pruner) warning(dbID string, s pruneSummary, maxPrune int64) (summary, detail string) {
	summary = fmt.Sprintf("%s deletes %d existing backup(s) of database %q", p.subject, s.count, dbID)
	detail = fmt.Sprintf("%s makes the platform delete %s, at once and for good.", p.doing, s.describe())
	if int64(s.count) > maxPrune {
		detail += fmt.Sprintf(" max_prune is %d, so %s will refuse and change nothing; set max_prune = %d to allow these deletions.",
			maxPrune, p.step, s.count)
	} else {
		detail += fmt.Sprintf(" max_prune is %d, so %s will delete them.", maxPrune, p.step)
	}
	return summary, detail
}

// refuse is the error when the run deletes more than max_prune allows.
func (p pruner) refuse(dbID string, s pruneSummary, maxPrune int64) (summary, detail string) {
	detail = fmt.Sprintf(p.deletes+" %s. max_prune is %d, so nothing was changed. "+
		"Set max_prune = %d (or more) to allow these deletions, or %s.",
		dbID, s.describe(), maxPrune, s.count, p.alternative)
	return p.refusal, detail
}

// formatBytes renders a byte count exactly, plus a binary-prefixed size
// for readability.
func formatBytes(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d bytes", n)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB", "PiB"}
	v, i := float64(n)/1024, 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return fmt.Sprintf("%d bytes (%.1f %s)", n, v, units[i])
}

// presetList renders the preset names for descriptions.
func presetList() string {
	quoted := make([]string, len(presetNames))
	for i, p := range presetNames {
		quoted[i] = "`" + p + "`"
	}
	return strings.Join(quoted, ", ")
}

// presetTable renders each named preset's tiers for descriptions.
func presetTable() string {
	var parts []string
	for _, p := range policyRules.Presets {
		var tiers []string
		for _, t := range policyTiers {
			tiers = append(tiers, fmt.Sprintf("%s %d", t.attr, t.preset(p)))
		}
		parts = append(parts, fmt.Sprintf("%#q: %s", p.Name, strings.Join(tiers, ", ")))
	}
	return strings.Join(parts, "; ")
}

// warnOutcome reports a rotation that did other than the preview said:
// deleted backups that completed in between (the platform's rotation has
// no dry run of its own), kept backups whose files it could not delete, or
// could not get under the size cap. A policy write and a retention run get
// the same rotation back, so both say the same.
func (p pruner) warnOutcome(dbID string, previewed []client.BackupRef, rot *client.BackupRotation, diags *diag.Diagnostics) {
	did := fmt.Sprintf(p.did, dbID)
	extra, kept := rotationMismatch(previewed, rot.Prune)
	if extra > 0 {
		diags.AddWarning("The platform deleted backups the preview did not list",
			fmt.Sprintf("%s deleted %d backup(s) more than previewed: backups completed between the preview and the "+
				"deletion.", did, extra))
	}
	if kept > 0 || len(rot.Errors) > 0 {
		var reasons []string
		for _, e := range rot.Errors {
			reasons = append(reasons, fmt.Sprintf("  - backup %s: %s", e.BackupID, e.Error))
		}
		diags.AddWarning("The platform kept backups the policy deletes",
			joinNonEmpty(fmt.Sprintf("%s left %d backup(s) it does not keep: the platform could not delete their files "+
				"(see last_rotation_error on the backups, for example a missing SSH key for the server). Its next rotation "+
				"tries again.", did, max(kept, len(rot.Errors))), strings.Join(reasons, "\n")))
	}
	if rot.CappedButUnreachable {
		diags.AddWarning("The policy's size cap cannot be met",
			fmt.Sprintf("The backups of database %q that the policy must keep (the newest, manual and pinned ones, down to "+
				"min_floor) are larger than its max_total_bytes together; every backup the cap allowed to delete is gone.", dbID))
	}
}

// rotationMismatch counts the backups a rotation deleted that the preview
// did not list (extra), and those the preview listed that it kept.
func rotationMismatch(previewed []client.BackupRef, pruned []string) (extra, kept int) {
	want := map[string]bool{}
	for _, b := range previewed {
		want[b.ID] = true
	}
	for _, id := range pruned {
		if !want[id] {
			extra++
		}
		delete(want, id)
	}
	return extra, len(want)
}
