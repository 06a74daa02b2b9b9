package main

import (
	"io"
	"strings"
	"testing"
)

// An address other machines can reach needs tokens of the user's own: the
// defaults are in the help for anyone to read.
func TestListenBeyondLoopbackNeedsOwnTokens(t *testing.T) {
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"-listen", "127.0.0.1:0"}, true},
		{[]string{"-listen", "localhost:0"}, true},
		{[]string{"-listen", "[::1]:0"}, true},
		{[]string{"-listen", "0.0.0.0:8080"}, false},
		{[]string{"-listen", ":8080"}, false},
		{[]string{"-listen", "10.0.0.5:8080"}, false},
		{[]string{"-listen", "0.0.0.0:8080", "-operator-token", "mine"}, false}, // admin and viewer still default
		{[]string{"-listen", "0.0.0.0:8080", "-admin-token", "", "-operator-token", "mine", "-viewer-token", ""}, true},
		{[]string{"-listen", "0.0.0.0:8080", "-allow-default-tokens"}, true},
	} {
		_, err := parseFlags(tc.args, io.Discard)
		if (err == nil) != tc.ok {
			t.Errorf("%v: err = %v, want ok %v", tc.args, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "-allow-default-tokens") {
			t.Errorf("%v: %v does not say how to go on", tc.args, err)
		}
	}
}
