package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/platform-iac/terraform-provider-platform/internal/api"
)

var _ function.Function = (*parseDatabaseURLFunction)(nil)

// databaseURLSchemes maps the schemes applications use to a built-in type,
// and whether the scheme itself means TLS (rediss, and mongodb+srv, which
// the MongoDB URI specification defaults to TLS).
var databaseURLSchemes = map[string]struct {
	dbType string
	ssl    bool
}{
	"postgres": {"postgres", false}, "postgresql": {"postgres", false},
	"mysql": {"mysql", false},
	"redis": {"redis", false}, "rediss": {"redis", true},
	"mongodb": {"mongodb", false}, "mongodb+srv": {"mongodb", true},
}

// sqliteSchemes name a file path instead of a server.
var sqliteSchemes = []string{"sqlite", "sqlite3"}

// sslModes are the values of the sslmode (PostgreSQL) and ssl-mode (MySQL)
// parameters, by whether the connection must use TLS. The platform has
// only on or off, so modes that merely try TLS count as off.
var sslModes = map[string]bool{
	"disable": false, "disabled": false, "allow": false, "prefer": false, "preferred": false,
	"require": true, "required": true, "verify-ca": true, "verify_ca": true, "verify-full": true, "verify_identity": true,
}

// NewParseDatabaseURLFunction is provider::platform::parse_database_url.
func NewParseDatabaseURLFunction() function.Function { return &parseDatabaseURLFunction{} }

type parseDatabaseURLFunction struct{}

// databaseURLModel is the function's result, named like the
// platform_database attributes it feeds.
type databaseURLModel struct {
	Type         types.String `tfsdk:"type"`
	Host         types.String `tfsdk:"host"`
	Port         types.Int64  `tfsdk:"port"`
	DatabaseName types.String `tfsdk:"database_name"`
	Username     types.String `tfsdk:"username"`
	Password     types.String `tfsdk:"password"`
	UseSSL       types.Bool   `tfsdk:"use_ssl"`
	FilePath     types.String `tfsdk:"file_path"`
}

var databaseURLAttrTypes = map[string]attr.Type{
	"type": types.StringType, "host": types.StringType, "port": types.Int64Type, "database_name": types.StringType,
	"username": types.StringType, "password": types.StringType, "use_ssl": types.BoolType, "file_path": types.StringType,
}

func (f *parseDatabaseURLFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "parse_database_url"
}

func (f *parseDatabaseURLFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Parse a database connection URL into platform_database arguments",
		MarkdownDescription: "Needs Terraform ≥ 1.8 or OpenTofu ≥ 1.7. " +
			"Turns the connection URL an application already uses into an object whose attributes are " +
			"`platform_database` arguments: `type`, `host`, `port`, `database_name`, `username`, `password`, `use_ssl` and " +
			"`file_path`. Schemes: `" + strings.Join(schemeNames(), "`, `") + "`. A URL without a port gets the type's default port (" + portList() +
			"). `use_ssl` comes from the scheme (`rediss`, `mongodb+srv`) or the `sslmode`, `ssl-mode`, `ssl` and `tls` " +
			"parameters. Attributes the URL does not have are null. A malformed URL is an error saying what is wrong; " +
			"the error never contains the password (declare the variable holding the URL `sensitive`, so that Terraform " +
			"does not show it either; the whole result is then sensitive).",
		Parameters: []function.Parameter{
			function.StringParameter{
				Name: "url",
				MarkdownDescription: "Connection URL, for example `postgres://app:secret@pg.internal:5432/orders?sslmode=require` " +
					"or `sqlite:/data/app.db`. User name and password are percent-decoded.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: databaseURLAttrTypes},
	}
}

func (f *parseDatabaseURLFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var raw string
	resp.Error = req.Arguments.Get(ctx, &raw)
	if resp.Error != nil {
		return
	}
	m, err := parseDatabaseURL(raw)
	if err != nil {
		resp.Error = function.NewArgumentFuncError(0, err.Error())
		return
	}
	resp.Error = resp.Result.Set(ctx, m)
}

// parseDatabaseURL is the function's logic. Its errors never quote the
// URL: it may carry a password.
func parseDatabaseURL(raw string) (databaseURLModel, error) {
	scheme, _, ok := strings.Cut(raw, ":")
	if !ok || scheme == "" {
		return databaseURLModel{}, fmt.Errorf("not a connection URL: it has no scheme; expected one of %s", strings.Join(schemeNames(), ", "))
	}
	scheme = strings.ToLower(scheme)
	for _, s := range sqliteSchemes {
		if scheme == s {
			return parseSQLiteURL(raw[len(s)+1:])
		}
	}
	kind, known := databaseURLSchemes[scheme]
	if !known {
		return databaseURLModel{}, fmt.Errorf("unsupported scheme %q; expected one of %s", scheme, strings.Join(schemeNames(), ", "))
	}
	u, err := parseURLQuietly(raw)
	if err != nil {
		return databaseURLModel{}, err
	}
	m := databaseURLModel{Type: types.StringValue(kind.dbType), FilePath: types.StringNull()}
	if err := setServer(&m, u, scheme, kind.dbType); err != nil {
		return databaseURLModel{}, err
	}
	m.DatabaseName, err = databaseNameFromPath(u.Path)
	if err != nil {
		return databaseURLModel{}, err
	}
	m.Username, m.Password = types.StringNull(), types.StringNull()
	if u.User != nil {
		m.Username = optionalURLPart(u.User.Username())
		if pw, set := u.User.Password(); set {
			m.Password = optionalURLPart(pw)
		}
	}
	ssl, err := useSSL(u.Query(), kind.ssl)
	if err != nil {
		return databaseURLModel{}, err
	}
	m.UseSSL = types.BoolValue(ssl)
	return m, nil
}

// parseURLQuietly parses raw without letting net/url's error, which quotes
// the text it rejects, reach the user: the problem is located by parsing
// again without the user information.
func parseURLQuietly(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err == nil {
		return u, nil
	}
	if _, err := url.Parse(withoutUserinfo(raw)); err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			return nil, fmt.Errorf("not a valid URL: %w", uerr.Err)
		}
		return nil, errors.New("not a valid URL")
	}
	return nil, errors.New("the user name or password is not valid in a URL: percent-encode characters such as @ : / ? # % and spaces in them")
}

// withoutUserinfo drops "user:password@" from the authority.
func withoutUserinfo(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		rest = rest[at+1:]
	}
	return scheme + "://" + rest
}

func setServer(m *databaseURLModel, u *url.URL, scheme, dbType string) error {
	if strings.Contains(u.Host, ",") {
		return errors.New("the URL lists several hosts; platform_database connects to one")
	}
	if u.Hostname() == "" {
		return fmt.Errorf("the %s URL has no host", scheme)
	}
	m.Host = types.StringValue(u.Hostname())
	port := u.Port()
	if port == "" {
		// The platform's database-types settings suggest a port for each
		// server type; the API itself fills in none, so the function does.
		def, ok := api.Platform.Database.DefaultPort(dbType)
		if !ok {
			return fmt.Errorf("the %s URL has no port and type %s has no default port", scheme, dbType)
		}
		m.Port = types.Int64Value(def)
		return nil
	}
	if scheme == "mongodb+srv" {
		return errors.New("a mongodb+srv URL cannot have a port (DNS names the servers and their ports)")
	}
	n, err := strconv.ParseInt(port, 10, 64)
	if err != nil || n < minPort || n > maxPort {
		return fmt.Errorf("port %q is not a number from %d to %d", port, minPort, maxPort)
	}
	m.Port = types.Int64Value(n)
	return nil
}

// databaseNameFromPath: "/orders" names the database orders; redis URLs
// name the database number the same way ("/0").
func databaseNameFromPath(p string) (types.String, error) {
	name := strings.TrimPrefix(p, "/")
	if strings.Contains(name, "/") {
		return types.String{}, fmt.Errorf("the path %q is not a single database name", p)
	}
	return optionalURLPart(name), nil
}

// useSSL reads the TLS parameters over the scheme's default; parameters
// that contradict each other are an error rather than a guess.
func useSSL(q url.Values, schemeDefault bool) (bool, error) {
	var decided []string
	result := schemeDefault
	for _, name := range []string{"sslmode", "ssl-mode", "ssl", "tls"} {
		if !q.Has(name) {
			continue
		}
		v := strings.ToLower(q.Get(name))
		on, ok := sslModes[v]
		if name == "ssl" || name == "tls" {
			on, ok = parseURLBool(v)
		}
		if !ok {
			return false, fmt.Errorf("parameter %s=%q is not understood; expected %s", name, q.Get(name), sslValues(name))
		}
		if len(decided) > 0 && on != result {
			return false, fmt.Errorf("parameters %s and %s disagree about TLS", decided[0], name)
		}
		decided, result = append(decided, name), on
	}
	return result, nil
}

func parseURLBool(v string) (on, ok bool) {
	switch v {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

func sslValues(name string) string {
	if name == "ssl" || name == "tls" {
		return "true or false"
	}
	modes := make([]string, 0, len(sslModes))
	for m := range sslModes {
		modes = append(modes, m)
	}
	sort.Strings(modes)
	return strings.Join(modes, ", ")
}

// parseSQLiteURL takes what follows "sqlite:": a path ("/data/app.db",
// "./app.db"), or "//" and a path with an empty host ("sqlite:///data/app.db").
func parseSQLiteURL(rest string) (databaseURLModel, error) {
	p := rest
	if strings.HasPrefix(p, "//") {
		host, path, _ := strings.Cut(p[2:], "/")
		if host != "" {
			return databaseURLModel{}, errors.New("a sqlite URL names a file, not a host: write sqlite:/path/to/file.db or sqlite:///path/to/file.db")
		}
		// Four slashes, SQLAlchemy's absolute form, name an absolute path too.
		p = "/" + strings.TrimLeft(path, "/")
	}
	p, _, _ = strings.Cut(p, "?")
	if strings.Trim(p, "/") == "" {
		return databaseURLModel{}, errors.New("the sqlite URL has no file path")
	}
	if unescaped, err := url.PathUnescape(p); err == nil {
		p = unescaped
	}
	return databaseURLModel{
		Type: types.StringValue("sqlite"), FilePath: types.StringValue(p), UseSSL: types.BoolValue(databaseDefaults.UseSSL),
		Host: types.StringNull(), Port: types.Int64Null(), DatabaseName: types.StringNull(),
		Username: types.StringNull(), Password: types.StringNull(),
	}, nil
}

func optionalURLPart(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func schemeNames() []string {
	names := append([]string{}, sqliteSchemes...)
	for s := range databaseURLSchemes {
		names = append(names, s)
	}
	sort.Strings(names)
	return names
}

// portList names the types that have a default port, in alphabetical
// order so that the generated docs do not move when api.Platform does.
func portList() string {
	var parts []string
	for _, t := range api.Platform.Database.Types {
		if port, ok := api.Platform.Database.DefaultPort(t.Name); ok {
			parts = append(parts, fmt.Sprintf("%s %d", t.Name, port))
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
