package process

import (
	"os"
	"strings"
)

// sdkLogLevels are the variables that set the plugin SDK's log levels.
var sdkLogLevels = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}

// quietUnseenLogs turns the plugin SDK's logging off when nobody will see
// it. The SDK logs at TRACE unless told otherwise and formats every line as
// JSON for the CLI, which discards them all unless TF_LOG or
// TF_LOG_PROVIDER is set: in a plan of 500 databases that was a quarter of
// the provider's CPU time. The CLI hands the provider its environment, so
// any TF_LOG* variable set for the CLI keeps the SDK's usual behaviour.
func quietUnseenLogs(environ []string, setenv func(key, value string) error) {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	for _, name := range sdkLogLevels {
		_ = setenv(name, "OFF")
	}
}

// QuietUnseenLogs turns the plugin SDK's logging off for this process
// unless a TF_LOG* variable is set.
func QuietUnseenLogs() { quietUnseenLogs(os.Environ(), os.Setenv) }
