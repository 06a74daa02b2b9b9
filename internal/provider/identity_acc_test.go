package provider_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	platformacc "github.com/platform-iac/terraform-provider-platform/internal/acctest"
	"github.com/platform-iac/terraform-provider-platform/internal/client"
	"github.com/platform-iac/terraform-provider-platform/internal/provider"
)

// Resource identity and `identity` in import blocks need Terraform 1.12 (or
// OpenTofu 1.12); older CLIs never see it and keep importing by id.
var identityCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// expectDatabaseIdentity: the identity names the database by the id in
// state and carries its environment.
func (d *dbTest) expectDatabaseIdentity() []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectIdentity(dbAddr, map[string]knownvalue.Check{
			"id":             knownvalue.StringRegexp(regexp.MustCompile(`^\S+$`)),
			"environment_id": knownvalue.StringExact(d.envID),
		}),
		statecheck.ExpectIdentityValueMatchesState(dbAddr, attr("id")),
		statecheck.ExpectIdentityValueMatchesState(dbAddr, attr("environment_id")),
	}
}

// A database gets its identity on create, and every way of importing it
// (identity, id and <environment_id>/<name> in import blocks, the import
// command) plans no change.
func TestAccDatabase_identity(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	cfg := d.config(fmt.Sprintf("name = %q\n  type = \"postgres\"\n  host = \"pg.internal\"\n  port = 5432", d.name))
	d.runWithCLIs(identityCLIs,
		resource.TestStep{
			Config:            cfg,
			ConfigStateChecks: d.expectDatabaseIdentity(),
			ConfigPlanChecks:  emptyPlanAfterApply(),
		},
		resource.TestStep{ResourceName: dbAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		resource.TestStep{ResourceName: dbAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		resource.TestStep{
			ResourceName: dbAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
			ImportStateIdFunc: func(*terraform.State) (string, error) { return d.envID + "/" + d.name, nil },
		},
		importStep(),
	)
}

// Adopting a database registered by hand with `identity = { id = … }`: the
// environment is optional, the read fills it into the identity, and the
// plan after the import is empty.
func TestAccDatabase_importByIdentityBlock(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	db := outOfBand(t, apiClient(t, d.p), d.envID, ordersInput(d.name))
	resourceCfg := d.config(fmt.Sprintf(`name = %q
  type = "postgres"
  host = "pg.example.test"
  port = 5432
  database_name = "orders"
  use_ssl = true
  backup_local_path = "/var/backups/orders"
  backup_format = "custom"
  backup_compression = "gzip"
  backup_compression_level = 9
  pg_dump_timeout_ms = 600000
  pg_dump_options {
    no_owner    = true
    clean       = true
    if_exists   = true
    schema_only = false
    data_only   = false
  }`, d.name))
	importBlock := func(identity string) string {
		return fmt.Sprintf("\nimport {\n  to = %s\n  identity = %s\n}\n", dbAddr, identity)
	}
	d.runWithCLIs(identityCLIs,
		resource.TestStep{
			Config:      resourceCfg + importBlock(`{ id = "" }`),
			PlanOnly:    true,
			ExpectError: errorText("Invalid import identity", "id must name a database"),
		},
		resource.TestStep{
			Config: resourceCfg + importBlock(fmt.Sprintf("{ id = %q }", db.ID)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(dbAddr, plancheck.ResourceActionNoop)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: append(d.expectDatabaseIdentity(), stateIs("id", knownvalue.StringExact(db.ID))),
		},
		// The import block has done its job; the managed database stays.
		resource.TestStep{Config: resourceCfg, ConfigPlanChecks: emptyPlanAfterApply()},
	)
}

// The environment in an identity makes the read that completes the import
// go through the environment's list, like an import by
// <environment_id>/<name>: no request for the database on its own.
func TestAccDatabase_importByIdentityWithEnvironment(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	db := outOfBand(t, apiClient(t, d.p), d.envID, client.DatabaseInput{
		Name: &d.name, Type: ptrTo("postgres"), Host: ptrTo("pg.internal"), Port: ptrTo(int64(5432)),
	})
	resourceCfg := d.config(fmt.Sprintf("name = %q\n  type = \"postgres\"\n  host = \"pg.internal\"\n  port = 5432", d.name))
	noSingleGets := func(*terraform.State) error {
		if d.p.Sim == nil {
			return nil // request counters: simulator only
		}
		return expectEq("GET /api/databases/{id} requests", d.p.Sim.Requests()["GET /api/databases/{id}"], 0)
	}
	d.runWithCLIs(identityCLIs,
		resource.TestStep{
			Config: resourceCfg + fmt.Sprintf("\nimport {\n  to = %s\n  identity = { id = %q, environment_id = %q }\n}\n", dbAddr, db.ID, d.envID),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(dbAddr, plancheck.ResourceActionNoop)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: d.expectDatabaseIdentity(),
			Check:             noSingleGets,
		},
	)
}

// A schedule is named by its database; importing it by identity or id
// plans no change.
func TestAccBackupSchedule_identity(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	d.runWithCLIs(identityCLIs,
		resource.TestStep{
			Config: d.scheduleConfig(`cron_expression = "0 2 * * *"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(scheduleAddr, map[string]knownvalue.Check{
					"database_id": knownvalue.StringRegexp(regexp.MustCompile(`^\S+$`)),
				}),
				statecheck.ExpectIdentityValueMatchesState(scheduleAddr, attr("database_id")),
				statecheck.ExpectIdentityValueMatchesStateAtPath(scheduleAddr, attr("database_id"), attr("id")),
			},
			ConfigPlanChecks: emptyPlanAfterApply(),
		},
		resource.TestStep{ResourceName: scheduleAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		resource.TestStep{ResourceName: scheduleAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
	)
}

// States written before the provider had identities (here: by the same
// provider with its identity hidden from the CLI) gain them on the next
// refresh, with an empty plan.
func TestAccIdentity_stateFromBeforeIdentity(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	cfg := d.scheduleConfig(`cron_expression = "0 3 * * *"`)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: identityCLIs,
		CheckDestroy:           d.checkDestroy,
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){"platform": withoutIdentity},
				Config:                   cfg,
				ConfigStateChecks:        []statecheck.StateCheck{expectNoIdentity(dbAddr), expectNoIdentity(scheduleAddr)},
				ConfigPlanChecks:         emptyPlanAfterApply(),
			},
			{
				ProtoV6ProviderFactories: platformacc.ProviderFactories,
				Config:                   cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: append(d.expectDatabaseIdentity(),
					statecheck.ExpectIdentityValueMatchesState(scheduleAddr, attr("database_id"))),
			},
		},
	})
}

// A database deleted outside Terraform while its state still predates
// identity is planned for creation again: the read that drops it from state
// still answers with an identity, as the framework requires.
func TestAccIdentity_goneBeforeIdentity(t *testing.T) {
	t.Parallel()
	d := newDBTest(t)
	cfg := d.scheduleConfig(`cron_expression = "0 3 * * *"`)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: identityCLIs,
		CheckDestroy:           d.checkDestroy,
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){"platform": withoutIdentity},
				Config:                   cfg,
				ConfigStateChecks:        []statecheck.StateCheck{expectNoIdentity(dbAddr), expectNoIdentity(scheduleAddr)},
			},
			{
				ProtoV6ProviderFactories: platformacc.ProviderFactories,
				PreConfig: func() {
					db, err := d.stored()
					if err == nil {
						err = apiClient(t, d.p).DeleteDatabase(context.Background(), db.ID)
					}
					if err != nil {
						t.Fatalf("deleting the database out of band: %v", err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(dbAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(scheduleAddr, plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: d.expectDatabaseIdentity(),
			},
		},
	})
}

// import-by-identity.tf adopts a database registered by hand by its
// identity: the plan imports it and changes nothing.
func TestAccExamples_databaseImportByIdentity(t *testing.T) {
	t.Parallel()
	p := platformacc.NewPlatform(t, exampleEnvironment)
	envID := p.EnvID(t, exampleEnvironment)
	db := outOfBand(t, apiClient(t, p), envID, client.DatabaseInput{
		Name: ptr("orders-pg"), Type: ptr("postgres"), Host: ptr("pg.internal.example"),
		Port: ptr(int64(5432)), DatabaseName: ptr("orders"),
	})
	example := readExample(t, databaseExamples+"import-by-identity.tf")
	example = replaceOnce(t, example, exampleDatabaseID, db.ID)
	example = strings.ReplaceAll(example, exampleEnvID, envID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		TerraformVersionChecks:   identityCLIs,
		CheckDestroy:             exampleCheckDestroy(p, envID),
		Steps: []resource.TestStep{{
			Config: p.Config(example),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{expectImportOnly("platform_database.orders")},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity("platform_database.orders", map[string]knownvalue.Check{
					"id": knownvalue.StringExact(db.ID), "environment_id": knownvalue.StringExact(envID),
				}),
			},
		}},
	})
}

func (d *dbTest) runWithCLIs(clis []tfversion.TerraformVersionCheck, steps ...resource.TestStep) {
	d.t.Helper()
	resource.Test(d.t, resource.TestCase{
		TerraformVersionChecks:   clis,
		ProtoV6ProviderFactories: platformacc.ProviderFactories,
		CheckDestroy:             d.checkDestroy,
		Steps:                    steps,
	})
}

// withoutIdentity serves the provider as a release without resource
// identity would: no identity schemas, no identity in any response.
func withoutIdentity() (tfprotov6.ProviderServer, error) {
	inner, err := provider.NewProtocol6Server(platformacc.ProviderVersion)()
	return noIdentityServer{inner}, err
}

type noIdentityServer struct{ tfprotov6.ProviderServer }

func (s noIdentityServer) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{IdentitySchemas: map[string]*tfprotov6.ResourceIdentitySchema{}}, nil
}

func (s noIdentityServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := s.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		resp.NewIdentity = nil
	}
	return resp, err
}

func (s noIdentityServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	resp, err := s.ProviderServer.PlanResourceChange(ctx, req)
	if resp != nil {
		resp.PlannedIdentity = nil
	}
	return resp, err
}

func (s noIdentityServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := s.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		resp.NewIdentity = nil
	}
	return resp, err
}

func (s noIdentityServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	resp, err := s.ProviderServer.ImportResourceState(ctx, req)
	if resp != nil {
		for _, r := range resp.ImportedResources {
			r.Identity = nil
		}
	}
	return resp, err
}

// expectNoIdentity proves a state was written without an identity.
func expectNoIdentity(addr string) statecheck.StateCheck { return noIdentityCheck{addr} }

type noIdentityCheck struct{ addr string }

func (c noIdentityCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if req.State == nil || req.State.Values == nil || req.State.Values.RootModule == nil {
		resp.Error = fmt.Errorf("no state")
		return
	}
	for _, r := range req.State.Values.RootModule.Resources {
		if r.Address != c.addr {
			continue
		}
		if len(r.IdentityValues) != 0 {
			resp.Error = fmt.Errorf("%s has identity %v, want none", c.addr, r.IdentityValues)
		}
		return
	}
	resp.Error = fmt.Errorf("%s not in state", c.addr)
}
