package client

import (
	"context"
	"net/http"
	"testing"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

const routeMissingBody = `{"code":"NOT_FOUND","message":"Not found","requestId":"req-9"}`

func TestRouteMissingIsNotAnObjectGone(t *testing.T) {
	f := newFakeAPI(t, reply(404, routeMissingBody))
	c, _ := newTestClient(t, f.URL)
	_, err := c.GetBackupPolicy(context.Background(), "d1")
	if IsNotFound(err) || !IsRouteMissing(err) {
		t.Fatalf("err = %v: a route the platform lacks must not read as a database gone", err)
	}
	feature, ok := MissingFeature(err)
	if !ok || feature.Name != api.FeatureRetentionPolicies.Name {
		t.Errorf("MissingFeature = %+v, %v; want retention policies", feature, ok)
	}
}

func TestObjectNotFoundIsNotARouteMissing(t *testing.T) {
	f := newFakeAPI(t, reply(404, `{"code":"NOT_FOUND","message":"Database not found"}`))
	c, _ := newTestClient(t, f.URL)
	_, err := c.GetBackupPolicy(context.Background(), "d1")
	if !IsNotFound(err) || IsRouteMissing(err) {
		t.Fatalf("err = %v: want an object 404", err)
	}
	if _, ok := MissingFeature(err); ok {
		t.Error("an unknown database names no missing feature")
	}
}

func TestSupportsReadsTheRouteListOnce(t *testing.T) {
	f := newFakeAPI(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		if r.URL.Path != "/openapi.json" {
			t.Errorf("unexpected request %s", r.URL.Path)
		}
		writeJSON(w, 200, `{"openapi":"3.0.3","paths":{"/api/databases/{id}":{},"/api/databases/{id}/backups":{}}}`)
	})
	c, _ := newTestClient(t, f.URL)
	for _, feature := range api.Features() {
		ok, err := c.Supports(context.Background(), feature)
		if err != nil || ok {
			t.Errorf("Supports(%s) = %v, %v; the list lacks its routes", feature.Name, ok, err)
		}
	}
	if f.count() != 1 {
		t.Errorf("%d requests, want the route list read once", f.count())
	}
}

func TestSupportsFindsTheFeaturesRoutes(t *testing.T) {
	f := newFakeAPI(t, reply(200, `{"paths":{"/api/databases/{id}/backups/{backupId}/pin":{}}}`))
	c, _ := newTestClient(t, f.URL)
	if ok, err := c.Supports(context.Background(), api.FeaturePins); err != nil || !ok {
		t.Errorf("Supports(pins) = %v, %v", ok, err)
	}
}

// A platform that serves no route list is taken at its word later: the
// feature's own route answers for itself.
func TestSupportsWithoutARouteList(t *testing.T) {
	f := newFakeAPI(t, reply(404, routeMissingBody))
	c, _ := newTestClient(t, f.URL)
	if ok, err := c.Supports(context.Background(), api.FeaturePins); err != nil || !ok {
		t.Errorf("Supports = %v, %v; want true without a list", ok, err)
	}
}
