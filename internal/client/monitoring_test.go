package client

import (
	"context"
	"net/http"
	"reflect"
	"testing"
)

func TestUpdateMonitoring(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"monitoringEnabled":false,"collectionIntervalSec":60,"monitoringStatus":"unknown"}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.UpdateMonitoring(context.Background(), "e1", "d1", MonitoringInput{CollectionIntervalSec: ptr(int64(60))})
	mustOK(t, err)
	want := &Monitoring{MonitoringEnabled: false, CollectionIntervalSec: 60, MonitoringStatus: "unknown"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %s", dump(got))
	}
	r := f.only(t)
	if r.Method != http.MethodPatch || r.Path != "/api/environments/e1/databases/d1/monitoring" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	// Partial: the platform keeps what is not sent.
	if want := `{"collectionIntervalSec":60}`; r.Body != want {
		t.Errorf("body = %s, want %s", r.Body, want)
	}
}

func TestUpdateMonitoring_errors(t *testing.T) {
	f := newFakeAPI(t, reply(404, `{"code":"NOT_FOUND","message":"Database not found","requestId":"req-1"}`))
	c, _ := newTestClient(t, f.URL)
	_, err := c.UpdateMonitoring(context.Background(), "e1", "gone", MonitoringInput{MonitoringEnabled: ptr(true)})
	if !IsNotFound(err) {
		t.Errorf("want a not-found error, got %v", err)
	}
	if _, err := c.UpdateMonitoring(context.Background(), "", "d1", MonitoringInput{}); err == nil || f.count() != 1 {
		t.Errorf("an empty environment id must be refused before any request: %v", err)
	}
	empty := newFakeAPI(t, reply(200, `null`))
	c, _ = newTestClient(t, empty.URL)
	if _, err := c.UpdateMonitoring(context.Background(), "e1", "d1", MonitoringInput{}); err == nil {
		t.Error("a null answer must be an error")
	}
}

func TestListMonitoringSummary(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"databases":[{"id":"d1","name":"a","type":"postgres","typeName":"PostgreSQL","serverName":null,
		"monitoringEnabled":true,"monitoringStatus":"error","lastCollectedAt":null,"lastMonitoringError":"connect ECONNREFUSED 127.0.0.1:5432",
		"latestMetrics":null,"monitoringConfig":null}]}`))
	c, _ := newTestClient(t, f.URL)
	got, err := c.ListMonitoringSummary(context.Background(), "e1")
	mustOK(t, err)
	want := []MonitoringSummary{{ID: "d1", Name: "a", MonitoringEnabled: true, MonitoringStatus: "error",
		LastMonitoringError: ptr("connect ECONNREFUSED 127.0.0.1:5432")}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %s", dump(got))
	}
	if r := f.only(t); r.Method != http.MethodGet || r.Path != "/api/environments/e1/databases/monitoring-summary" || r.HasBody {
		t.Errorf("request = %s %s %q", r.Method, r.Path, r.Body)
	}

	none := newFakeAPI(t, reply(200, `{"databases":null}`))
	c, _ = newTestClient(t, none.URL)
	if got, err := c.ListMonitoringSummary(context.Background(), "e1"); err != nil || got == nil || len(got) != 0 {
		t.Errorf("want an empty, non-nil list; got %v, %v", got, err)
	}
}
