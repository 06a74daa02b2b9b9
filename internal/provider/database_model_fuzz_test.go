package provider

import (
	"encoding/json"
	"testing"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// FuzzDatabaseFromAPI feeds whatever the platform might return through the
// one conversion into Terraform values: it must never panic, whatever is
// missing, null or out of range.
func FuzzDatabaseFromAPI(f *testing.F) {
	for _, seed := range []string{
		`{"id":"c1","name":"orders","type":"postgres","port":5432,"pgDumpOptions":{"noOwner":true,"clean":false},"backupCompressionLevel":9}`,
		`{"id":"c1","pgDumpOptions":{}}`, `{}`, `{"port":-1,"backupSpacesPrefix":"","schedule":null}`,
		`{"databaseType":{"id":"t","name":"x"},"serverId":"","filePath":null}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var db client.Database
		if json.Unmarshal(body, &db) != nil {
			return
		}
		_ = databaseFromAPI(&db, databaseResourceModel{})
	})
}
