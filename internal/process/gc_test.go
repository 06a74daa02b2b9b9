package process

import "testing"

func TestChooseGCPercent(t *testing.T) {
	for name, c := range map[string]struct {
		env  map[string]string
		want int
	}{
		"nothing set: the provider's setting": {env: map[string]string{}, want: gcPercent},
		"GOGC set: the runtime honours it":    {env: map[string]string{"GOGC": "100"}, want: -1},
		"GOGC=off: the runtime honours it":    {env: map[string]string{"GOGC": "off"}, want: -1},
		"GOMEMLIMIT alone changes nothing":    {env: map[string]string{"GOMEMLIMIT": "1GiB"}, want: gcPercent},
	} {
		t.Run(name, func(t *testing.T) {
			if got := chooseGCPercent(func(k string) string { return c.env[k] }); got != c.want {
				t.Errorf("got %d, want %d", got, c.want)
			}
		})
	}
}
