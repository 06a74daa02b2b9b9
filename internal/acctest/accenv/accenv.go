// Package accenv names the environment variables that point the
// real-platform acceptance suite, and the simulator/platform differential,
// at a running platform. It stands apart from acctest so that the
// differential does not import the acceptance suite.
package accenv

// Endpoint and AdminToken turn the real-platform mode on; the others are
// optional, and a test that needs a missing one skips, naming it.
const (
	Endpoint      = "PLATFORM_ACC_ENDPOINT"
	AdminToken    = "PLATFORM_ACC_ADMIN_TOKEN"
	OperatorToken = "PLATFORM_ACC_OPERATOR_TOKEN"
	ViewerToken   = "PLATFORM_ACC_VIEWER_TOKEN"
	// ScopedToken is an operator token limited to the one environment
	// ScopedEnvID names. That environment is not throwaway: tests using it
	// clean up what they make there.
	ScopedToken = "PLATFORM_ACC_SCOPED_TOKEN"
	ScopedEnvID = "PLATFORM_ACC_SCOPED_ENV_ID"
	// Release is the release of the platform under test, as 2.3.0 (what
	// scripts/platform.sh exports for a source named as a release); unset
	// means the newest build. A test of a feature the release lacks skips
	// (Platform.RequireRelease), and the differential's simulator acts as
	// that release. The acceptance suite reads it against the simulator
	// too, whose NewPlatform then acts as that release.
	Release = "PLATFORM_ACC_RELEASE"
)
