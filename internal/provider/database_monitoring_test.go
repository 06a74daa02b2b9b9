package provider

import (
	"encoding/json"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/framework/fwtypes"
)

func TestMonitoringInput(t *testing.T) {
	held := databaseModel{MonitoringEnabled: types.BoolValue(true), MonitoringIntervalSec: fwtypes.WholeNumberValue(300)}
	cases := []struct {
		name string
		to   databaseModel
		want string // the PATCH body; "" for no request
	}{
		{"same as held: no request", held, ""},
		{"interval only", databaseModel{MonitoringEnabled: types.BoolValue(true), MonitoringIntervalSec: fwtypes.WholeNumberValue(60)},
			`{"collectionIntervalSec":60}`},
		{"enabled only", databaseModel{MonitoringEnabled: types.BoolValue(false), MonitoringIntervalSec: fwtypes.WholeNumberValue(300)},
			`{"monitoringEnabled":false}`},
		{"both", databaseModel{MonitoringEnabled: types.BoolValue(false), MonitoringIntervalSec: fwtypes.WholeNumberValue(900)},
			`{"monitoringEnabled":false,"collectionIntervalSec":900}`},
		{"unknown is never sent", databaseModel{MonitoringEnabled: types.BoolUnknown(), MonitoringIntervalSec: fwtypes.WholeNumberValue(300)}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := monitoringInput(tc.to, held)
			if tc.want == "" {
				if in != nil {
					t.Fatalf("want no request, got %s", monitoringBody(t, in))
				}
				return
			}
			if in == nil {
				t.Fatalf("want %s, got no request", tc.want)
			}
			if got := monitoringBody(t, in); got != tc.want {
				t.Errorf("PATCH body\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func monitoringBody(t *testing.T, in any) string {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
