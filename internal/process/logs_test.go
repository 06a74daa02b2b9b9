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
			want:    map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER": "OFF", "TF_LOG_PROVIDER_PLATFORM": "OFF"},
		},
		"TF_LOG set":          {environ: []string{"TF_LOG=debug"}, want: map[string]string{}},
		"TF_LOG_PROVIDER set": {environ: []string{"TF_LOG_PROVIDER=trace"}, want: map[string]string{}},
		"TF_LOG_PATH set":     {environ: []string{"TF_LOG_PATH=/tmp/x"}, want: map[string]string{}},
	} {
		t.Run(name, func(t *testing.T) {
			got := map[string]string{}
			quietUnseenLogs("registry.terraform.io/platform-iac/platform", c.environ, func(k, v string) error { got[k] = v; return nil })
			if !maps.Equal(got, c.want) {
				t.Errorf("set %v, want %v", got, c.want)
			}
		})
	}
	if !slices.Contains(sdkLogLevels, "TF_LOG_SDK_FRAMEWORK") {
		t.Error("the framework's own level must be turned off too")
	}
}

func TestProviderLogLevel(t *testing.T) {
	for address, want := range map[string]string{
		"registry.terraform.io/platform-iac/platform": "TF_LOG_PROVIDER_PLATFORM",
		"registry.opentofu.org/example/my-cloud":      "TF_LOG_PROVIDER_MY_CLOUD",
	} {
		if got := providerLogLevel(address); got != want {
			t.Errorf("providerLogLevel(%q) = %q, want %q", address, got, want)
		}
	}
}
