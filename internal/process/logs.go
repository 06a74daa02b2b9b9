package process

import (
	"os"
	"path"
	"strings"
)

// sdkLogLevels are the variables that set the plugin SDK's log levels.
var sdkLogLevels = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}

// providerLogLevel is the variable terraform-plugin-go reads for the level
// of the provider's own logger (tflog): TF_LOG_PROVIDER_ and the provider's
// type, upper-cased, dashes as underscores. Unset, that logger logs
// everything at TRACE; TF_LOG_PROVIDER alone does not reach it.
func providerLogLevel(registryAddress string) string {
	return "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(path.Base(registryAddress), "-", "_"))
}

// quietUnseenLogs turns the plugin SDK's logging and the provider's own off
// when nobody will see them. Both log at TRACE unless told otherwise and
// format every line as JSON for the CLI, which parses each one and then
// discards them all unless TF_LOG or TF_LOG_PROVIDER is set: in a plan of
// 500 databases the SDK's lines were a quarter of the provider's CPU time,
// and an apply of 500 wrote some 2,500 lines of the provider's own (request
// and response bodies included, redacted at a cost). The CLI hands the
// provider its environment, so any TF_LOG* variable set for the CLI keeps
// the usual behaviour.
func quietUnseenLogs(registryAddress string, environ []string, setenv func(key, value string) error) {
	for _, kv := range environ {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	for _, name := range append(sdkLogLevels, providerLogLevel(registryAddress)) {
		_ = setenv(name, "OFF")
	}
}

// QuietUnseenLogs turns the plugin SDK's logging and the provider's own off
// for this process unless a TF_LOG* variable is set. registryAddress is the
// one the provider is served under.
func QuietUnseenLogs(registryAddress string) {
	quietUnseenLogs(registryAddress, os.Environ(), os.Setenv)
}
