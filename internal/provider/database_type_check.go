package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// The platform accepts any `type` string on create, but binds a database to
// a type (and so to backup commands) only when the name matches one of its
// database types exactly; a typo such as "postgress" creates a database that
// can never be backed up. Admins can add types, and those are listed too, so
// a name absent from the list is almost certainly a mistake: an error, with
// the closest name as a suggestion.

// databaseTypeLister is the one client call the check needs.
type databaseTypeLister interface {
	ListDatabaseTypes(ctx context.Context) ([]client.DatabaseTypeDefinition, error)
}

// databaseTypeCatalog reads the platform's database types at most once per
// provider process, whatever the outcome: under the rate limit a failed
// read is not worth repeating for every resource of a large plan.
type databaseTypeCatalog struct {
	mu    sync.Mutex
	read  bool
	types []client.DatabaseTypeDefinition // nil when they could not be read
}

// load returns the types, or false when the check must be skipped. An
// environment-scoped token (me tells at start-up) is refused the settings
// routes, so it is not even asked.
func (c *databaseTypeCatalog) load(ctx context.Context, api databaseTypeLister, me *client.Me) ([]client.DatabaseTypeDefinition, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.read {
		c.read = true
		c.types = readDatabaseTypes(ctx, api, me)
	}
	return c.types, c.types != nil
}

func readDatabaseTypes(ctx context.Context, api databaseTypeLister, me *client.Me) []client.DatabaseTypeDefinition {
	if me != nil && !me.AllEnvironments {
		tflog.Debug(ctx, "environment-scoped token cannot read the platform's database types; type names are not checked")
		return nil
	}
	types, err := api.ListDatabaseTypes(ctx)
	switch {
	case err == nil:
		return types
	case client.IsForbidden(err):
		// Environment-scoped tokens may not read settings (403
		// FORBIDDEN_SCOPE): nothing to tell the user, the type is simply
		// not checked.
		tflog.Debug(ctx, "database types not readable with this token; type names are not checked", map[string]any{"error": err.Error()})
	default:
		tflog.Warn(ctx, "could not read the platform's database types; type names are not checked", map[string]any{"error": err.Error()})
	}
	return nil
}

// checkDatabaseType judges the planned type when the plan sets it.
func (r *databaseResource) checkDatabaseType(ctx context.Context, cfg databaseResourceModel, state *databaseResourceModel, diags *diag.Diagnostics) {
	if !typeBeingSet(cfg, state) || r.data == nil || r.data.client == nil {
		return
	}
	if types, ok := r.data.databaseTypes.load(ctx, r.data.client, r.data.me); ok {
		diags.Append(judgeDatabaseType(types, cfg)...)
	}
}

// typeBeingSet: a create, or a change of type or database_type_id (either
// replaces the database). A plan that leaves both alone, such as a
// refresh, asks the platform nothing; unknown values are judged once known.
func typeBeingSet(cfg databaseResourceModel, state *databaseResourceModel) bool {
	if !isSet(cfg.Type) || !known(cfg.DatabaseTypeID) {
		return false
	}
	return state == nil || !state.Type.Equal(cfg.Type) ||
		(!cfg.DatabaseTypeID.IsNull() && !state.DatabaseTypeID.Equal(cfg.DatabaseTypeID))
}

// judgeDatabaseType: an explicit database_type_id binds the database
// whatever `type` says, so then only the id is judged (an unknown one makes
// the create fail with a bare 500).
func judgeDatabaseType(types []client.DatabaseTypeDefinition, cfg databaseResourceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	names := make([]string, 0, len(types))
	for _, t := range types {
		names = append(names, t.Name)
	}
	if isSet(cfg.DatabaseTypeID) {
		id := cfg.DatabaseTypeID.ValueString()
		if !slices.ContainsFunc(types, func(t client.DatabaseTypeDefinition) bool { return t.ID == id }) {
			diags.AddAttributeError(path.Root("database_type_id"), "Unknown database type id",
				fmt.Sprintf("database_type_id %q is none of the platform's database types (%s); the platform would refuse the create. "+
					"Leave database_type_id unset to bind by type name.", id, strings.Join(names, ", ")))
		}
		return diags
	}
	typ := cfg.Type.ValueString()
	if slices.Contains(names, typ) {
		return diags
	}
	suggestion := ""
	if near := closestName(typ, names); near != "" {
		suggestion = fmt.Sprintf("Did you mean %q? ", near)
	}
	diags.AddAttributeError(path.Root("type"), "Unknown database type",
		fmt.Sprintf("type %q is not one of the platform's database types (%s). %sThe platform would store the database "+
			"without a type, and could then never back it up or test its connection. A type a platform admin adds "+
			"becomes valid as soon as it exists.", typ, strings.Join(names, ", "), suggestion))
	return diags
}

// closestName is the name within a small edit distance of typ (case
// ignored), or "" when none is close enough to be a typo.
func closestName(typ string, names []string) string {
	best, bestDist := "", -1
	for _, n := range names {
		d := editDistance(strings.ToLower(typ), strings.ToLower(n))
		if bestDist < 0 || d < bestDist {
			best, bestDist = n, d
		}
	}
	if bestDist < 0 || bestDist > max(2, len([]rune(best))/3) {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
