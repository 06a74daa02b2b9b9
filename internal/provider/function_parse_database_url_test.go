package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

// server is a parsed server URL; unset fields are null.
func server(dbType, host string, port int64, ssl bool, fields ...string) databaseURLModel {
	m := databaseURLModel{
		Type: types.StringValue(dbType), Host: types.StringValue(host), Port: types.Int64Value(port), UseSSL: types.BoolValue(ssl),
		DatabaseName: types.StringNull(), Username: types.StringNull(), Password: types.StringNull(), FilePath: types.StringNull(),
	}
	for i := 0; i+1 < len(fields); i += 2 {
		v := types.StringValue(fields[i+1])
		switch fields[i] {
		case "database_name":
			m.DatabaseName = v
		case "username":
			m.Username = v
		case "password":
			m.Password = v
		}
	}
	return m
}

func sqliteFile(p string) databaseURLModel {
	return databaseURLModel{
		Type: types.StringValue("sqlite"), FilePath: types.StringValue(p), UseSSL: types.BoolValue(false),
		Host: types.StringNull(), Port: types.Int64Null(), DatabaseName: types.StringNull(), Username: types.StringNull(), Password: types.StringNull(),
	}
}

func TestParseDatabaseURL(t *testing.T) {
	tests := map[string]struct {
		url  string
		want databaseURLModel
	}{
		"postgres, everything": {"postgres://app:s3cret@pg.internal:6432/orders?sslmode=require",
			server("postgres", "pg.internal", 6432, true, "database_name", "orders", "username", "app", "password", "s3cret")},
		"postgresql, default port": {"postgresql://app@pg.internal/orders",
			server("postgres", "pg.internal", 5432, false, "database_name", "orders", "username", "app")},
		"sslmode prefer is off": {"postgres://pg.internal/orders?sslmode=prefer",
			server("postgres", "pg.internal", 5432, false, "database_name", "orders")},
		"sslmode verify-full": {"postgres://pg.internal/orders?sslmode=verify-full",
			server("postgres", "pg.internal", 5432, true, "database_name", "orders")},
		"percent-encoded credentials": {"postgres://app%40corp:p%40ss%3Aw%2Frd@pg.internal/orders",
			server("postgres", "pg.internal", 5432, false, "database_name", "orders", "username", "app@corp", "password", "p@ss:w/rd")},
		"empty password is null": {"postgres://app:@pg.internal/orders",
			server("postgres", "pg.internal", 5432, false, "database_name", "orders", "username", "app")},
		"upper-case scheme": {"POSTGRES://pg.internal", server("postgres", "pg.internal", 5432, false)},
		"IPv6 host":         {"postgres://[::1]:5433/orders", server("postgres", "::1", 5433, false, "database_name", "orders")},
		"mysql, ssl=true": {"mysql://shop:pw@mysql.internal/shop?ssl=true",
			server("mysql", "mysql.internal", 3306, true, "database_name", "shop", "username", "shop", "password", "pw")},
		"mysql, ssl-mode REQUIRED": {"mysql://mysql.internal:3307/shop?ssl-mode=REQUIRED",
			server("mysql", "mysql.internal", 3307, true, "database_name", "shop")},
		"mysql, tls=false": {"mysql://mysql.internal/shop?tls=false", server("mysql", "mysql.internal", 3306, false, "database_name", "shop")},
		"redis":            {"redis://redis.internal", server("redis", "redis.internal", 6379, false)},
		"redis, password only, db number": {"redis://:hunter2@redis.internal:6380/2",
			server("redis", "redis.internal", 6380, false, "database_name", "2", "password", "hunter2")},
		"rediss means TLS":               {"rediss://redis.internal", server("redis", "redis.internal", 6379, true)},
		"rediss turned off by ssl=false": {"rediss://redis.internal?ssl=false", server("redis", "redis.internal", 6379, false)},
		"mongodb": {"mongodb://events:ev@mongo.internal:27018/events?authSource=admin",
			server("mongodb", "mongo.internal", 27018, false, "database_name", "events", "username", "events", "password", "ev")},
		"mongodb, tls=true": {"mongodb://mongo.internal/events?tls=true", server("mongodb", "mongo.internal", 27017, true, "database_name", "events")},
		"mongodb+srv means TLS": {"mongodb+srv://events@cluster0.example.net/events",
			server("mongodb", "cluster0.example.net", 27017, true, "database_name", "events", "username", "events")},
		"trailing slash, no database": {"mysql://mysql.internal/", server("mysql", "mysql.internal", 3306, false)},
		"agreeing parameters":         {"postgres://pg.internal?sslmode=require&ssl=true", server("postgres", "pg.internal", 5432, true)},
		"sqlite path":                 {"sqlite:/data/app.db", sqliteFile("/data/app.db")},
		"sqlite relative path":        {"sqlite:./app.db", sqliteFile("./app.db")},
		"sqlite empty host":           {"sqlite:///data/app.db", sqliteFile("/data/app.db")},
		"sqlite SQLAlchemy absolute":  {"sqlite:////data/app.db", sqliteFile("/data/app.db")},
		"sqlite3 with parameters":     {"sqlite3:/data/my%20app.db?mode=ro", sqliteFile("/data/my app.db")},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := parseDatabaseURL(tt.url)
			if err != nil {
				t.Fatalf("parseDatabaseURL(%q): %v", tt.url, err)
			}
			if got != tt.want {
				t.Errorf("parseDatabaseURL(%q)\n got  %+v\n want %+v", tt.url, got, tt.want)
			}
		})
	}
}

// Every error says what is wrong and never contains the password
// ("Pa55w0rd" wherever a URL has one).
func TestParseDatabaseURL_errors(t *testing.T) {
	tests := map[string]struct{ url, want string }{
		"empty":                  {"", "has no scheme"},
		"no scheme":              {"pg.internal:5432/orders", "unsupported scheme \"pg.internal\""},
		"host only":              {"pg.internal", "has no scheme"},
		"unknown scheme":         {"oracle://u:Pa55w0rd@db.internal/orcl", "unsupported scheme \"oracle\"; expected one of mongodb, mongodb+srv, mysql"},
		"no host":                {"postgres://u:Pa55w0rd@/orders", "the postgres URL has no host"},
		"opaque":                 {"postgres:Pa55w0rd", "the postgres URL has no host"},
		"port not a number":      {"postgres://u:Pa55w0rd@pg.internal:abc/orders", "not a valid URL: invalid port \":abc\" after host"},
		"port out of range":      {"postgres://u:Pa55w0rd@pg.internal:70000/orders", "port \"70000\" is not a number from 1 to 65535"},
		"port zero":              {"mysql://u:Pa55w0rd@mysql.internal:0/shop", "port \"0\" is not a number from 1 to 65535"},
		"bad escape in password": {"postgres://u:Pa55w0rd%zz@pg.internal/orders", "the user name or password is not valid in a URL: percent-encode"},
		"space in password":      {"postgres://u:Pa55 w0rd@pg.internal/orders", "the user name or password is not valid in a URL"},
		"bad escape in path":     {"postgres://u:Pa55w0rd@pg.internal/or%zzders", "not a valid URL: invalid URL escape \"%zz\""},
		"several hosts":          {"mongodb://u:Pa55w0rd@m1.internal:27017,m2.internal:27017/events", "lists several hosts"},
		"srv with port":          {"mongodb+srv://u:Pa55w0rd@cluster0.example.net:27017/events", "mongodb+srv URL cannot have a port"},
		"nested path":            {"postgres://u:Pa55w0rd@pg.internal/orders/extra", "the path \"/orders/extra\" is not a single database name"},
		"unknown sslmode":        {"postgres://u:Pa55w0rd@pg.internal/orders?sslmode=maybe", "parameter sslmode=\"maybe\" is not understood; expected allow, disable"},
		"unknown ssl":            {"mysql://u:Pa55w0rd@mysql.internal/shop?ssl=yes", "parameter ssl=\"yes\" is not understood; expected true or false"},
		"contradiction":          {"postgres://u:Pa55w0rd@pg.internal/orders?sslmode=disable&ssl=true", "parameters sslmode and ssl disagree about TLS"},
		"sqlite with host":       {"sqlite://files.internal/app.db", "a sqlite URL names a file, not a host"},
		"sqlite without path":    {"sqlite:", "the sqlite URL has no file path"},
		"sqlite root only":       {"sqlite:///", "the sqlite URL has no file path"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := parseDatabaseURL(tt.url)
			if err == nil {
				t.Fatalf("parseDatabaseURL(%q) succeeded, want an error containing %q", tt.url, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			for _, secret := range []string{"Pa55w0rd", "Pa55", "w0rd"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q echoes the password", err)
				}
			}
		})
	}
}

// A URL without a port gets the port api.Platform (checked against
// CONTRACT.md) gives its type, for every scheme; the description lists the
// same ports; sqlite, a file, gets none.
func TestParseDatabaseURL_defaultPorts(t *testing.T) {
	var def function.DefinitionResponse
	NewParseDatabaseURLFunction().Definition(context.Background(), function.DefinitionRequest{}, &def)
	for scheme, kind := range databaseURLSchemes {
		want, ok := api.Platform.Database.DefaultPort(kind.dbType)
		if !ok {
			t.Errorf("scheme %q maps to %q, which has no default port in api.Platform", scheme, kind.dbType)
			continue
		}
		got, err := parseDatabaseURL(scheme + "://db.internal/app")
		if err != nil {
			t.Errorf("%s: %v", scheme, err)
			continue
		}
		if !got.Port.Equal(types.Int64Value(want)) {
			t.Errorf("%s URL without a port: port = %v, want %d", scheme, got.Port, want)
		}
		if entry := fmt.Sprintf("%s %d", kind.dbType, want); !strings.Contains(def.Definition.MarkdownDescription, entry) {
			t.Errorf("description does not list %q", entry)
		}
	}
	for _, ty := range api.Platform.Database.Types {
		if _, ok := api.Platform.Database.DefaultPort(ty.Name); !ok && ty.DefaultPort != 0 {
			t.Errorf("type %s: DefaultPort %d not reported", ty.Name, ty.DefaultPort)
		}
	}
	if _, ok := api.Platform.Database.DefaultPort("sqlite"); ok {
		t.Error("sqlite has a default port")
	}
	got, err := parseDatabaseURL("sqlite:/data/app.db")
	if err != nil || !got.Port.IsNull() {
		t.Errorf("sqlite URL: port = %v, err = %v; want null", got.Port, err)
	}
}

// Run returns the object through the framework, and a parse error as an
// error about the url argument.
func TestParseDatabaseURLFunction_run(t *testing.T) {
	ctx := context.Background()
	f := NewParseDatabaseURLFunction()
	var def function.DefinitionResponse
	f.Definition(ctx, function.DefinitionRequest{}, &def)
	run := func(url string) function.RunResponse {
		resp := function.RunResponse{Result: function.NewResultData(basetypes.NewObjectUnknown(databaseURLAttrTypes))}
		f.Run(ctx, function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{types.StringValue(url)})}, &resp)
		return resp
	}

	ok := run("rediss://:pw@redis.internal/0")
	if ok.Error != nil {
		t.Fatalf("Run: %v", ok.Error)
	}
	got, isObject := ok.Result.Value().(basetypes.ObjectValue)
	if !isObject {
		t.Fatalf("result is %T, want an object", ok.Result.Value())
	}
	want := map[string]attr.Value{
		"type": types.StringValue("redis"), "host": types.StringValue("redis.internal"), "port": types.Int64Value(6379),
		"database_name": types.StringValue("0"), "username": types.StringNull(), "password": types.StringValue("pw"),
		"use_ssl": types.BoolValue(true), "file_path": types.StringNull(),
	}
	for k, v := range want {
		if !got.Attributes()[k].Equal(v) {
			t.Errorf("%s = %v, want %v", k, got.Attributes()[k], v)
		}
	}

	bad := run("postgres://u:Pa55w0rd@pg.internal:99999/orders")
	if bad.Error == nil || bad.Error.FunctionArgument == nil || *bad.Error.FunctionArgument != 0 {
		t.Fatalf("Run error = %v, want an error about argument 0", bad.Error)
	}
	if strings.Contains(bad.Error.Text, "Pa55w0rd") || !strings.Contains(bad.Error.Text, "port \"99999\"") {
		t.Errorf("Run error text %q", bad.Error.Text)
	}
}
