package client

import (
	"context"
	"net/http"
	"reflect"
	"testing"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

func TestListEnvironments(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"environments":[
		{"id":"e1","name":"staging","sshPrivateKey":"-----BEGIN KEY-----","createdAt":"c1","updatedAt":"u1","_count":{"servers":1}},
		{"id":"e2","name":"prod","sshPrivateKey":null,"createdAt":"c2","updatedAt":"u2"}]}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.ListEnvironments(context.Background())
	mustOK(t, err)
	want := []Environment{{ID: "e1", Name: "staging", CreatedAt: "c1", UpdatedAt: "u1"}, {ID: "e2", Name: "prod", CreatedAt: "c2", UpdatedAt: "u2"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %s", dump(got))
	}
	if r := f.only(t); r.Method != http.MethodGet || r.Path != "/api/environments" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
}

func TestListEnvironments_emptyIsNotNil(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"environments":[]}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.ListEnvironments(context.Background())
	mustOK(t, err)
	if got == nil || len(got) != 0 {
		t.Errorf("got %#v", got)
	}
}

func TestGetEnvironment(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Path == "/api/environments/e1" {
			writeJSON(w, 200, `{"environment":{"id":"e1","name":"staging","createdAt":"c","updatedAt":"u"}}`)
			return
		}
		writeJSON(w, 404, `{"code":"NOT_FOUND","message":"Environment not found","requestId":"req-3"}`)
	})
	c, _ := newTestClient(t, f.URL)
	got, err := c.GetEnvironment(context.Background(), "e1")
	mustOK(t, err)
	if !reflect.DeepEqual(got, &Environment{ID: "e1", Name: "staging", CreatedAt: "c", UpdatedAt: "u"}) {
		t.Errorf("got %s", dump(got))
	}
	if _, err := c.GetEnvironment(context.Background(), "nope"); !IsNotFound(err) {
		t.Errorf("want not found, got %v", err)
	}
}

func TestMe(t *testing.T) {
	tests := []struct {
		name string
		body string
		want Me
	}{
		{
			name: "scoped API token",
			body: `{"user":{"id":"u1","email":"t@x","name":"CI","role":"operator","apiTokenId":"tok1",
				"scope":{"allEnvironments":false,"environmentIds":["e2"]}},
				"role":"operator","environments":["e2"],"scopes":["services:read","services:write"]}`,
			want: Me{Role: "operator", AllEnvironments: false, EnvironmentIDs: []string{"e2"}, UserID: "u1", Email: "t@x",
				Name: "CI", APITokenID: "tok1", Scopes: []string{"services:read", "services:write"}},
		},
		{
			name: "unscoped API token",
			body: `{"user":{"id":"u1","role":"admin","apiTokenId":"tok2","scope":{"allEnvironments":true,"environmentIds":[]}},
				"role":"admin","environments":["e1","e2"],"scopes":[]}`,
			want: Me{Role: "admin", AllEnvironments: true, EnvironmentIDs: []string{"e1", "e2"}, UserID: "u1", APITokenID: "tok2", Scopes: []string{}},
		},
		{
			name: "login JWT without scope",
			body: `{"user":{"id":"u9","email":"a@x","role":"viewer"},"environments":["e1"]}`,
			want: Me{Role: "viewer", AllEnvironments: true, EnvironmentIDs: []string{"e1"}, UserID: "u9", Email: "a@x"},
		},
		{
			name: "scope null",
			body: `{"user":{"id":"u9","scope":null},"role":"operator"}`,
			want: Me{Role: "operator", AllEnvironments: true, EnvironmentIDs: []string{}, UserID: "u9"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAPI(t, reply(200, tt.body))
			c, _ := newTestClient(t, f.URL)
			got, err := c.Me(context.Background())
			mustOK(t, err)
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tt.want)
			}
			if r := f.only(t); r.Method != http.MethodGet || r.Path != "/api/auth/me" {
				t.Errorf("request = %s %s", r.Method, r.Path)
			}
		})
	}
}

func TestMe_unauthorized(t *testing.T) {
	f := newFakeAPI(t, reply(401, `{"code":"UNAUTHORIZED","message":"Unauthorized"}`))
	c, w := newTestClient(t, f.URL)
	_, err := c.Me(context.Background())
	if !IsUnauthorized(err) {
		t.Fatalf("want unauthorized, got %v", err)
	}
	if f.count() != 1 || len(w.all()) != 0 {
		t.Errorf("401 must not be retried: %d requests", f.count())
	}
}

// wantSchedule is what the recorded schedule (api.FixtureSchedule) decodes to.
var wantSchedule = &Schedule{ID: "cmwxsf3c7003p1h7d8k2lq0zr", DatabaseID: "cmwxsek9i002x1h7dle0wgldm", CronExpression: "0 2 * * *",
	RetentionDays: api.Platform.Schedule.Defaults.RetentionDays, Enabled: true, NextRunAt: ptr("2026-11-27T02:00:00.000Z")}

func TestGetSchedule(t *testing.T) {
	f := newFakeAPI(t, reply(200, string(api.Fixture(api.FixtureSchedule))))
	c, _ := newTestClient(t, f.URL)
	got, err := c.GetSchedule(context.Background(), "d1")
	mustOK(t, err)
	if !reflect.DeepEqual(got, wantSchedule) {
		t.Errorf("got %s", dump(got))
	}
	if r := f.only(t); r.Method != http.MethodGet || r.Path != "/api/databases/d1/schedule" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
}

func TestGetSchedule_none(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"schedule":null}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.GetSchedule(context.Background(), "d1")
	if got != nil || err != nil {
		t.Errorf("want nil, nil; got %v, %v", got, err)
	}
}

func TestPutSchedule(t *testing.T) {
	f := newFakeAPI(t, reply(200, string(api.Fixture(api.FixtureSchedule))))
	c, _ := newTestClient(t, f.URL)
	got, err := c.PutSchedule(context.Background(), "d1", ScheduleInput{CronExpression: "0 2 * * *", Enabled: ptr(false)})
	mustOK(t, err)
	if !reflect.DeepEqual(got, wantSchedule) {
		t.Errorf("got %s", dump(got))
	}
	r := f.only(t)
	if r.Method != http.MethodPut || r.Path != "/api/databases/d1/schedule" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	if want := `{"cronExpression":"0 2 * * *","enabled":false}`; r.Body != want {
		t.Errorf("body = %s, want %s", r.Body, want)
	}
	if r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
	}
}

func TestPutSchedule_allFieldsAndMissingObject(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"schedule":null}`))
	c, _ := newTestClient(t, f.URL)
	_, err := c.PutSchedule(context.Background(), "d1", ScheduleInput{CronExpression: "x", RetentionDays: ptr(int64(30)), Enabled: ptr(true)})
	if err == nil {
		t.Error("a PUT answered with a null schedule must be an error")
	}
	if want := `{"cronExpression":"x","retentionDays":30,"enabled":true}`; f.only(t).Body != want {
		t.Errorf("body = %s, want %s", f.only(t).Body, want)
	}
}

func TestDeleteSchedule(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"success":true}`))
	c, _ := newTestClient(t, f.URL)
	mustOK(t, c.DeleteSchedule(context.Background(), "d1"))
	if r := f.only(t); r.Method != http.MethodDelete || r.Path != "/api/databases/d1/schedule" || r.HasBody {
		t.Errorf("request = %s %s %q", r.Method, r.Path, r.Body)
	}
}
