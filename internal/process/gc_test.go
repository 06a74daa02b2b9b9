package process

import "testing"

func TestChooseGC(t *testing.T) {
	for name, c := range map[string]struct {
		env  map[string]string
		want gcSettings
	}{
		"nothing set: the provider's settings": {env: map[string]string{}, want: gcSettings{percent: gcPercent, limit: memoryLimit}},
		"GOGC set: the runtime honours it":     {env: map[string]string{"GOGC": "100"}, want: gcSettings{percent: -1, limit: memoryLimit}},
		"GOMEMLIMIT set: the runtime honours it": {
			env: map[string]string{"GOMEMLIMIT": "1GiB"}, want: gcSettings{percent: gcPercent, limit: -1},
		},
		"both set": {env: map[string]string{"GOGC": "off", "GOMEMLIMIT": "1GiB"}, want: gcSettings{percent: -1, limit: -1}},
	} {
		t.Run(name, func(t *testing.T) {
			if got := chooseGC(func(k string) string { return c.env[k] }); got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
	if memoryLimit >= 60<<20 {
		t.Errorf("the soft memory limit %d must stay under the 60 MB budget for the provider process", memoryLimit)
	}
}
