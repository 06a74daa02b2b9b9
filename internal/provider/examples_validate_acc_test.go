package provider_test

import (
	"os"
	"path/filepath"
	"testing"
)

// The documentation examples of the data sources, the schedule and the policy
// resources are valid configurations on every CLI (validate needs no platform).
func TestAccExamples_validate(t *testing.T) {
	t.Parallel()
	dirs := []string{
		"data-sources/platform_environment",
		"data-sources/platform_database",
		"data-sources/platform_databases",
		"resources/platform_database_backup_schedule",
		"resources/platform_database_backup_policy",
		"data-sources/platform_database_backup_policy",
	}
	for _, dir := range dirs {
		t.Run(dir, func(t *testing.T) {
			w := newCLIWorkspace(t, inProcess)
			w.skipOlderThan("1.5.0", "1.6.0")
			files, err := filepath.Glob(filepath.Join("..", "..", "examples", dir, "*.tf"))
			if err != nil || len(files) == 0 {
				t.Fatalf("no examples in %s: %v", dir, err)
			}
			for _, f := range files {
				if filepath.Base(f) == "import-by-identity.tf" && !w.atLeast("1.12.0", "1.12.0") {
					continue // identity in import blocks came in Terraform and OpenTofu 1.12
				}
				b, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				w.write(filepath.Base(f), string(b))
			}
			w.writeConfig("")
			w.mustRun("init", "-input=false", "-backend=false")
			w.mustRun("validate")
		})
	}
}
