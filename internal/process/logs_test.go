package process

import (
	"maps"
	"slices"
	"testing"
)

func TestQuietUnseenLogs(t *testing.T) {
	for name, c := range map[string]struct {
		environ []string
		want    map[string]string
	}{
		"no TF_LOG: nobody sees the logs": {
			environ: []string{"PATH=/bin", "TF_CLI_CONFIG_FILE=x"},
			want:    map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER": "OFF"},
		},
		"TF_LOG set":          {environ: []string{"TF_LOG=debug"}, want: map[string]string{}},
		"TF_LOG_PROVIDER set": {environ: []string{"TF_LOG_PROVIDER=trace"}, want: map[string]string{}},
		"TF_LOG_PATH set":     {environ: []string{"TF_LOG_PATH=/tmp/x"}, want: map[string]string{}},
	} {
		t.Run(name, func(t *testing.T) {
			got := map[string]string{}
			quietUnseenLogs(c.environ, func(k, v string) error { got[k] = v; return nil })
			if !maps.Equal(got, c.want) {
				t.Errorf("set %v, want %v", got, c.want)
			}
		})
	}
	if !slices.Contains(sdkLogLevels, "TF_LOG_SDK_FRAMEWORK") {
		t.Error("the framework's own level must be turned off too")
	}
}
