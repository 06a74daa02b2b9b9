package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
)

// Invalid configurations fail at plan time, naming the attribute, before
// any request about databases reaches the platform; only a type name (or
// id) is checked against the platform's list of database types.
func TestAccDatabase_invalidConfig(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	// want: the error's text; " … " separates parts expected in order.
	cases := map[string]struct{ body, want string }{
		"empty name":              {`name = ""` + "\n  type = \"postgres\"", `Attribute name string length must be at least 1`},
		"empty type":              {`name = "x"` + "\n  type = \"\"", `Attribute type string length must be at least 1`},
		"missing type":            {`name = "x"`, `The argument "type" is required`},
		"missing name":            {`type = "postgres"`, `The argument "name" is required`},
		"empty environment":       {"environment_id = \"\"\n  name = \"x\"\n  type = \"postgres\"", `Attribute environment_id string length must be at least 1`},
		"bad format":              {`backup_format = "zip"`, `Attribute backup_format value must be one of: ["plain" "custom" "tar"]`},
		"bad compression":         {`backup_compression = "xz"`, `Attribute backup_compression value must be one of`},
		"bad storage":             {`backup_storage_type = "s3"`, `Attribute backup_storage_type value must be one of`},
		"level too high":          {`backup_compression_level = 10`, `Attribute backup_compression_level value must be between 1 and 9`},
		"level too low":           {`backup_compression_level = 0`, `Attribute backup_compression_level value must be between 1 and 9`},
		"level not a number":      {`backup_compression_level = "high"`, `Inappropriate value for attribute "backup_compression_level"`},
		"timeout too short":       {`pg_dump_timeout_ms = 29999`, `Attribute pg_dump_timeout_ms value must be between 30000 and 3600000`},
		"timeout too long":        {`pg_dump_timeout_ms = 3600001`, `Attribute pg_dump_timeout_ms value must be between 30000 and 3600000`},
		"port zero":               {`port = 0`, `Attribute port value must be between 1 and 65535`},
		"port negative":           {`port = -5432`, `Attribute port value must be between 1 and 65535`},
		"port too high":           {`port = 70000`, `Attribute port value must be between 1 and 65535`},
		"port not a number":       {`port = "five"`, `Inappropriate value for attribute "port"`},
		"port with a fraction":    {`port = 5432.5`, `Not a whole number … port must be a whole number, got 5432.5`},
		"level with a fraction":   {`backup_compression_level = 5.5`, `backup_compression_level must be a whole number, got 5.5`},
		"timeout with a fraction": {`pg_dump_timeout_ms = 30000.5`, `pg_dump_timeout_ms must be a whole number, got 30000.5`},
		"version with a fraction": {"username = \"u\"\n  password_wo = \"p\"\n  password_wo_version = 1.5", `password_wo_version must be a whole number, got 1.5`},
		"use_ssl not a bool":      {`use_ssl = "maybe"`, `Inappropriate value for attribute "use_ssl"`},
		"empty host":              {`host = ""`, `Attribute host string length must be at least 1`},
		"empty server_id":         {`server_id = ""`, `Attribute server_id string length must be at least 1`},
		"empty database_type_id":  {`database_type_id = ""`, `Attribute database_type_id string length must be at least 1`},
		"unknown attribute":       {`colour = "blue"`, `An argument named "colour" is not expected here`},
		"computed id set":         {`id = "cabc"`, `Read-Only Attribute … id = "cabc"`},
		"schema and data only":    {"pg_dump_options {\n    schema_only = true\n    data_only = true\n  }", `schema_only and data_only cannot both be true`},
		"clean with data only":    {"pg_dump_options {\n    clean = true\n    data_only = true\n  }", `clean and data_only cannot both be true`},
		"if_exists without clean": {"pg_dump_options {\n    if_exists = true\n  }", `if_exists requires clean = true`},
		"two pg_dump_options":     {"pg_dump_options {\n    clean = true\n  }\n  pg_dump_options {\n    clean = true\n  }", `Duplicate pg_dump_options block`},
		"spaces without bucket":   {`backup_storage_type = "spaces"`, `Missing backup bucket`},
		"local path with spaces":  {"backup_storage_type = \"spaces\"\n  backup_spaces_bucket = \"b\"\n  backup_local_path = \"/x\"", `Local path with spaces storage`},
		"bucket with local":       {`backup_spaces_bucket = "b"`, `backup_spaces_bucket is only used with backup_storage_type = "spaces"`},
		"prefix with local":       {`backup_spaces_prefix = "p/"`, `backup_spaces_prefix is only used with backup_storage_type = "spaces"`},
		"empty prefix":            {"backup_storage_type = \"spaces\"\n  backup_spaces_bucket = \"b\"\n  backup_spaces_prefix = \"\"", `Attribute backup_spaces_prefix string length must be at least 1`},
		"file path for postgres":  {`file_path = "/x.db"`, `file_path is only used by sqlite databases`},
		"username alone":          {`username = "u"`, `Username without password`},
		"password alone":          {`password = "p"`, `Invalid Attribute Combination … password = "p" … Attribute "username" must be specified when "password" is specified`},
		"empty username":          {"username = \"\"\n  password = \"p\"", `Attribute username string length must be at least 1`},
		"empty password":          {"username = \"u\"\n  password = \"\"", `Attribute password string length must be at least 1`},
		"both passwords":          {"username = \"u\"\n  password = \"p\"\n  password_wo = \"p\"\n  password_wo_version = 1", `Invalid Attribute Combination … password_wo = "p" … Attribute "password" cannot be specified when "password_wo" is specified`},
		"password_wo unversioned": {"username = \"u\"\n  password_wo = \"p\"", `Missing password_wo_version`},
		"version without wo":      {"password_wo_version = 1", `Invalid Attribute Combination … password_wo_version = 1 … Attribute "password_wo" must be specified when "password_wo_version" is specified`},
		"bad create timeout":      {"timeouts {\n    create = \"soon\"\n  }", `create = "soon" … must be a string containing a sequence of decimal numbers`},
		"host as a URL":           {`host = "postgres://pg.example.test:5432/app"`, `Invalid host … it is a URL; set host = "pg.example.test" and port = 5432`},
		"host with a port":        {`host = "pg.example.test:5432"`, `Invalid host … it includes a port`},
		"host with a path":        {`host = "pg.example.test/app"`, `Invalid host … it contains a path`},
		"host with spaces":        {`host = "pg example.test"`, `Invalid host … it contains whitespace`},
		"bracketed IPv6 host":     {`host = "[::1]"`, `Invalid host … without brackets; set host = "::1"`},
		"relative backup path":    {`backup_local_path = "backups/orders"`, `Relative backup path … backup_local_path must be an absolute directory`},
		"sqlite without file":     {"name = \"x\"\n  type = \"sqlite\"", `Missing file_path … can then never back it up`},
		"mistyped type":           {"name = \"x\"\n  type = \"postgress\"", `Unknown database type … Did you mean "postgres"?`},
		"unknown type id":         {`database_type_id = "cnosuchtype"`, `Unknown database type id … database_type_id "cnosuchtype"`},
	}
	// The cases judged against the platform's database types; every other
	// one fails before the provider asks the platform about databases or types.
	readsTypes := map[string]bool{"mistyped type": true, "unknown type id": true}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			before := 0
			if p.Sim != nil {
				before = p.Sim.Requests()[routeDatabaseTypes]
			}
			body := tc.body
			if !setsArgument(body, "name") && !setsArgument(body, "type") {
				body = "name = \"x\"\n  type = \"postgres\"\n  " + body
			}
			if !setsArgument(body, "environment_id") {
				body = fmt.Sprintf("environment_id = %q\n  %s", envID, body)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: platformacc.ProviderFactories,
				TerraformVersionChecks:   writeOnlyCheck(body),
				Steps: []resource.TestStep{{
					Config:      p.Config(fmt.Sprintf("resource \"platform_database\" \"test\" {\n  %s\n}\n", body)),
					ExpectError: errorText(strings.Split(tc.want, " … ")...),
				}},
			})
			if p.Sim == nil {
				return // request counters: simulator only
			}
			if asked := p.Sim.Requests()[routeDatabaseTypes] > before; asked != readsTypes[name] {
				t.Errorf("read the platform's database types: %t, want %t", asked, readsTypes[name])
			}
		})
	}
	if p.Sim == nil {
		// No request counters on a real platform: nothing may have been created.
		if dbs := p.State.Databases(envID); len(dbs) != 0 {
			t.Errorf("invalid configurations created %d databases", len(dbs))
		}
		return
	}
	for route, n := range p.Sim.Requests() {
		if strings.Contains(route, "databases") && n > 0 {
			t.Errorf("invalid configurations reached the platform: %d × %s", n, route)
		}
	}
}

// setsArgument reports whether body sets the argument name on a line of
// its own (username = … does not set name).
func setsArgument(body, name string) bool {
	return regexp.MustCompile(`(?m)^\s*` + name + `\s*=`).MatchString(body)
}

// Values that may be legitimate but most likely are not: the plan succeeds
// with a warning on the attribute, still without a request about databases.
func TestAccDatabase_questionableConfigWarns(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t)
	envID := p.EnvID(t, platformacc.DefaultEnvironment)
	w := newCLIWorkspace(t, inProcess)
	cases := []struct{ name, body, want string }{
		{"pg_dump_options on mysql", "type = \"mysql\"\n  pg_dump_options {\n    no_owner = true\n  }",
			`Warning: pg_dump_options ignored … this database has type "mysql", so the options are stored but ignored`},
		{"pg_dump_options on redis", "type = \"redis\"\n  pg_dump_options {\n    clean = true\n  }",
			`Warning: pg_dump_options ignored … type "redis"`},
	}
	for i, tc := range cases {
		w.writeConfig(p.Config(fmt.Sprintf("resource \"platform_database\" \"test\" {\n  environment_id = %q\n  name = \"w%d\"\n  %s\n}\n", envID, i, tc.body)))
		if i == 0 {
			w.mustRun("init", "-input=false")
		}
		res := w.plan()
		if res.code != 2 || !errorText(strings.Split(tc.want, " … ")...).MatchString(res.output()) {
			t.Errorf("%s: exit %d, want 2 (changes) with %q\n%s", tc.name, res.code, tc.want, res)
		}
	}
	if p.Sim == nil {
		return // request counters: simulator only; plans create nothing
	}
	for route, n := range p.Sim.Requests() {
		if strings.Contains(route, "databases") && n > 0 {
			t.Errorf("planning reached the platform's databases: %d × %s", n, route)
		}
	}
}
