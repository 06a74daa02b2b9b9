package simulator

import (
	"strconv"
	"strings"
	"time"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// readonlyDatabaseFields are refused on PATCH with 422 READONLY_FIELD, the
// whole request rejected before any validation or write.
var readonlyDatabaseFields = map[string]bool{
	"id": true, "createdAt": true, "updatedAt": true, "environmentId": true,
	"encryptedCredentials": true, "credentialsNonce": true,
	"monitoringStatus": true, "lastCollectedAt": true, "lastMonitoringError": true,
}

const defaultReadonlyHint = "This field is derived/system-managed and cannot be set via PATCH. Remove it from the request body."

var readonlyHints = map[string]string{
	"monitoringStatus": "Monitoring status is set by the monitoring collector; configure monitoring via PATCH /api/environments/:envId/databases/:id/monitoring.",
}

// checkReadonly names the first offender (in body order) in `field` and
// every offender in the message.
func checkReadonly(body any) *APIError {
	obj, ok := body.(*jsonObject)
	if !ok {
		return nil
	}
	var offenders []string
	for _, k := range obj.keys {
		if readonlyDatabaseFields[k] {
			offenders = append(offenders, k)
		}
	}
	if len(offenders) == 0 {
		return nil
	}
	first := offenders[0]
	hint, ok := readonlyHints[first]
	if !ok {
		hint = defaultReadonlyHint
	}
	msg := "Field " + strconv.Quote(first) + " is read-only and cannot be set via PATCH."
	if len(offenders) > 1 {
		quoted := make([]string, len(offenders))
		for i, o := range offenders {
			quoted[i] = strconv.Quote(o)
		}
		msg = "Fields " + strings.Join(quoted, ", ") + " are read-only and cannot be set via PATCH."
	}
	return &APIError{Status: 422, Code: api.CodeReadonlyField, Message: msg, Field: first, Hint: hint}
}

func (s *Simulator) patchDatabaseHandler(q *request) reply {
	d, e := s.patch(q.params["id"], q.body, q.hasBody)
	if e != nil {
		return q.fail(e)
	}
	return ok(map[string]any{"database": d})
}

// patch is PATCH /api/databases/{id}: read-only check, validation, then
// the write. Quirks kept: an unknown id and a rename onto a taken name are
// bare 500s (Prisma errors), databaseTypeId is ignored and a type change
// does not re-resolve the type id.
func (s *Simulator) patch(id string, body any, present bool) (dbView, *APIError) {
	if e := checkReadonly(body); e != nil {
		return dbView{}, e
	}
	in, issues := validate(body, present, databaseRules, true)
	if len(issues) > 0 {
		return dbView{}, errInvalidInput(issues)
	}
	s.store.mu.Lock()
	defer s.store.mu.Unlock()
	cur := s.store.dbs[id]
	if cur == nil {
		return dbView{}, errInternal()
	}
	next := cur.clone()
	if name, ok := in.str("name"); ok {
		if s.store.nameTaken(cur.EnvironmentID, name, id) {
			return dbView{}, errInternal()
		}
		next.Name = name
	}
	if t, ok := in.str("type"); ok {
		next.Type = t
	}
	if e := s.applyFields(&next, in); e != nil {
		return dbView{}, e
	}
	patchCredentials(&next, in)
	next.UpdatedAt = later(s.now(), cur.UpdatedAt)
	*cur = next
	return s.store.view(cur), nil
}

// patchCredentials: only a username AND a password together change
// anything; both non-empty replace, anything else (e.g. both "") clears.
func patchCredentials(d *Database, in values) {
	user, hasUser := in.str("username")
	pass, hasPass := in.str("password")
	if !hasUser || !hasPass {
		return
	}
	if user != "" && pass != "" {
		d.setCredentials(user, pass)
		return
	}
	d.setCredentials("", "")
}

// later keeps updatedAt moving on every successful PATCH even when the
// clock has not advanced a millisecond.
func later(now, prev time.Time) time.Time {
	if now.After(prev) {
		return now
	}
	return prev.Add(time.Millisecond)
}

// PatchDatabase changes a database out of band with PATCH's semantics;
// failures are *APIError values with the status PATCH would answer.
func (s *Simulator) PatchDatabase(id string, fields map[string]any) error {
	obj, err := objectFromMap(fields)
	if err != nil {
		return err
	}
	if _, e := s.patch(id, obj, true); e != nil {
		return e
	}
	return nil
}
