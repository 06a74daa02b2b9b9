// Package provider implements the platform provider on
// terraform-plugin-framework. It speaks Terraform only; everything HTTP lives
// in internal/client.
package provider

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/protocol"
	"github.com/platform-iac/terraform-provider-platform/internal/framework/validators"
	"github.com/platform-iac/terraform-provider-platform/internal/reader"
)

// Environment variables read when the provider block leaves a value out, so
// tokens can stay out of configuration and state.
const (
	envEndpoint = "PLATFORM_ENDPOINT"
	envToken    = "PLATFORM_TOKEN"
)

var (
	_ provider.Provider                  = (*platformProvider)(nil)
	_ provider.ProviderWithFunctions     = (*platformProvider)(nil)
	_ provider.ProviderWithActions       = (*platformProvider)(nil)
	_ provider.ProviderWithListResources = (*platformProvider)(nil)
)

// New returns a constructor for the provider at the given release version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &platformProvider{version: version}
	}
}

type platformProvider struct {
	version string
}

type platformProviderModel struct {
	Endpoint           types.String `tfsdk:"endpoint"`
	Token              types.String `tfsdk:"token"`
	CACertPEM          types.String `tfsdk:"ca_cert_pem"`
	CACertFile         types.String `tfsdk:"ca_cert_file"`
	InsecureSkipVerify types.Bool   `tfsdk:"insecure_skip_verify"`
	// BatchReads null means true.
	BatchReads types.Bool `tfsdk:"batch_reads"`
	// StartupTimeout null means PLATFORM_STARTUP_TIMEOUT or the default.
	StartupTimeout types.String `tfsdk:"startup_timeout"`
}

// providerData is what resources and data sources receive from Configure.
type providerData struct {
	client *client.Client
	// me is the token's identity, fetched once per provider process.
	me *client.Me
	// databases serves database reads, batched per environment.
	databases *reader.Databases
	// backups serves backup reads, batched per database.
	backups *reader.Backups

	envMu    sync.Mutex
	envNames map[string]string // environment id → name, filled on first use

	databaseTypes databaseTypeCatalog // read on the first plan that sets a type
}

func (p *platformProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "platform"
	resp.Version = p.version
}

func (p *platformProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Manages databases on a self-hosted deploy platform (the BridgePort API) as code. " +
			"Configure it with the `" + envEndpoint + "` and `" + envToken + "` environment variables, or in this block.",
		Attributes: map[string]schema.Attribute{
			"endpoint": schema.StringAttribute{
				Optional: true,
				Description: "Base URL of the platform, for example `https://deploy.example.com` (without `/api`). " +
					"Must be an absolute http(s) URL. Falls back to the `" + envEndpoint + "` environment variable; one of the two is required.",
				Validators: []validator.String{validators.AbsoluteHTTPURL()},
			},
			"token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				Description: "API token (`bport_pat_…`) sent as a bearer token; sensitive, so Terraform hides it and the provider masks it in logs. Prefer the `" + envToken +
					"` environment variable so the token stays out of configuration files, version control and saved plans; one of the two is required. " +
					"The token needs the `operator` or `admin` role to change anything (`viewer` can only read), " +
					"and is checked once when the provider starts.",
			},
			"batch_reads": schema.BoolAttribute{
				Optional: true,
				Description: "Whether refreshes read databases through one list request per environment (default `true`) " +
					"instead of one request per database. The platform allows 100 requests per minute, so batching is " +
					"what makes a plan of hundreds of databases take seconds rather than minutes. A database missing " +
					"from a list is confirmed with its own request before it leaves the state. Set `false` only to " +
					"debug. With an environment-scoped token every read goes through the list either way, since the " +
					"platform refuses such tokens on `/api/databases/{id}`.",
			},
			"startup_timeout": startupTimeoutAttribute(),
		},
	}
	for name, attr := range tlsAttributes() {
		resp.Schema.Attributes[name] = attr
	}
}

func (p *platformProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg platformProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Values computed from other resources are unknown during plan. Failing
	// here would break plans that are perfectly valid, so configure nothing
	// and let Terraform call again once the values are known.
	if cfg.Endpoint.IsUnknown() || cfg.Token.IsUnknown() {
		tflog.Debug(ctx, "provider endpoint or token unknown; deferring client configuration")
		return
	}

	endpoint := valueOrEnv(cfg.Endpoint, envEndpoint)
	token := valueOrEnv(cfg.Token, envToken)
	if token != "" {
		ctx = tflog.MaskMessageStrings(ctx, token)
	}
	validateProviderValues(endpoint, token, resp)
	startup := startupTimeout(cfg.StartupTimeout, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	tlsCfg := tlsSettings(cfg, endpoint, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	c, err := client.New(client.Config{
		Endpoint:  endpoint,
		Token:     token,
		UserAgent: userAgent(p.version, req.TerraformVersion),
		TLS:       tlsCfg,
	})
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid platform endpoint", err.Error())
		return
	}

	me, err := c.CheckToken(ctx, startup)
	if err != nil {
		addTokenCheckError(resp, endpoint, startup, err)
		return
	}
	tflog.Info(ctx, "platform token accepted", map[string]any{
		"role": me.Role, "all_environments": me.AllEnvironments,
	})

	batch := cfg.BatchReads.IsNull() || cfg.BatchReads.ValueBool()
	readers := reader.New(c, me, batch)
	data := &providerData{client: c, me: me, databases: readers.Databases, backups: readers.Backups}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ActionData = data
	resp.ListResourceData = data
}

func (p *platformProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewDatabaseResource,
		NewBackupScheduleResource,
		NewBackupPolicyResource,
		NewBackupResource,
	}
}

// Actions need Terraform ≥ 1.14; OpenTofu has none, and older CLIs and
// OpenTofu never ask for them.
func (p *platformProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewDatabaseCreateBackupAction,
		NewDatabaseTestConnectionAction,
		NewDatabaseApplyRetentionAction,
	}
}

// List resources need Terraform ≥ 1.14 (`terraform query`); other CLIs
// never ask for them, so they cost those nothing.
func (p *platformProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewDatabaseListResource,
		NewBackupScheduleListResource,
		NewBackupListResource,
	}
}

// Functions need Terraform ≥ 1.8 or OpenTofu ≥ 1.7.
func (p *platformProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewParseDatabaseURLFunction,
	}
}

func (p *platformProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewEnvironmentDataSource,
		NewDatabaseDataSource,
		NewDatabasesDataSource,
		NewBackupPolicyDataSource,
		NewBackupsDataSource,
	}
}

func valueOrEnv(v types.String, env string) string {
	if !v.IsNull() && v.ValueString() != "" {
		return v.ValueString()
	}
	return os.Getenv(env)
}

func validateProviderValues(endpoint, token string, resp *provider.ConfigureResponse) {
	if endpoint == "" {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Missing platform endpoint",
			"Set endpoint in the provider block or the "+envEndpoint+" environment variable.")
	} else if msg := validators.CheckAbsoluteHTTPURL(endpoint); msg != "" {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid platform endpoint", msg)
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("token"), "Missing platform token",
			"Set token in the provider block or, better, the "+envToken+" environment variable.")
	}
}

// addTokenCheckError turns the failed start-up GET /api/auth/me into one
// clear error, instead of letting every resource fail on its own later.
func addTokenCheckError(resp *provider.ConfigureResponse, endpoint string, startup time.Duration, err error) {
	if client.IsUnauthorized(err) {
		resp.Diagnostics.AddAttributeError(path.Root("token"),
			fmt.Sprintf("Token rejected by %s", endpoint),
			"The platform answered 401 Unauthorized to GET /api/auth/me: the token is missing, malformed, expired or revoked. "+
				"Mint a new API token on the platform and set it in "+envToken+".\n\n"+err.Error())
		return
	}
	if client.IsCertificateError(err) {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"),
			fmt.Sprintf("Untrusted TLS certificate at %s", endpoint),
			"The platform's certificate could not be verified: "+err.Error()+"\n\n"+
				"If the platform uses a private CA, set ca_cert_pem or ca_cert_file to its certificate.")
		return
	}
	if _, answered := client.AsAPIError(err); !answered {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"),
			fmt.Sprintf("Could not reach the platform at %s", endpoint),
			unreachableAdvice(startup)+"\n\n"+err.Error())
		return
	}
	resp.Diagnostics.AddError(
		fmt.Sprintf("Could not reach the platform at %s", endpoint),
		"Checking the token with GET /api/auth/me failed: "+err.Error())
}

func userAgent(providerVersion, terraformVersion string) string {
	ua := "terraform-provider-platform/" + providerVersion
	if terraformVersion != "" {
		ua += " terraform/" + terraformVersion
	}
	return ua
}

// NewProtocol6Server serves the provider over plugin protocol 6, for the
// binary (tf6server.Serve) and for acceptance tests alike, through
// protocol.Releasing, which keeps the framework from holding on to every
// request's context.
func NewProtocol6Server(version string) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) {
		s, err := providerserver.NewProtocol6WithError(New(version)())()
		if err != nil {
			return nil, err
		}
		return protocol.Releasing(s), nil
	}
}
