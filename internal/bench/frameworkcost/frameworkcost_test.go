// Package frameworkcost reproduces, without the provider, what
// terraform-plugin-framework charges per PlanResourceChange for a resource
// of many top-level attributes: a resource with n optional+computed string
// attributes, no validators, plan modifiers or defaults, whose ModifyPlan
// does nothing, planned through providerserver as Terraform would with a
// prior state equal to the configuration (a refresh). Each schema path
// lookup copies the schema's attribute map (resource/schema.Schema's
// GetAttributes), and the framework looks paths up a few times per
// attribute per RPC, so the time per plan grows with n squared: see
// internal/bench/README.md for the figures. The same resource's
// ValidateResourceConfig and ReadResource are measured too: the other two
// RPCs Terraform makes per resource in a refresh plan.
package frameworkcost

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

type wideProvider struct{ n int }

func (p wideProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "wide"
}
func (p wideProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (p wideProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (p wideProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (p wideProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return wideResource(p) }}
}

type wideResource struct{ n int }

func (r wideResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = "wide_thing"
}

func (r wideResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := map[string]schema.Attribute{}
	for i := range r.n {
		attrs[fmt.Sprintf("a%02d", i)] = schema.StringAttribute{Optional: true, Computed: true}
	}
	resp.Schema = schema.Schema{Attributes: attrs}
}

func (r wideResource) Create(context.Context, resource.CreateRequest, *resource.CreateResponse) {}
func (r wideResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse)       {}
func (r wideResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}
func (r wideResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}
func (r wideResource) ModifyPlan(context.Context, resource.ModifyPlanRequest, *resource.ModifyPlanResponse) {
}

// refreshRequest is the plan of an unchanged resource whose n attributes
// are all set.
func refreshRequest(b *testing.B, n int) *tfprotov6.PlanResourceChangeRequest {
	types := map[string]tftypes.Type{}
	vals := map[string]tftypes.Value{}
	for i := range n {
		name := fmt.Sprintf("a%02d", i)
		types[name] = tftypes.String
		vals[name] = tftypes.NewValue(tftypes.String, "value")
	}
	typ := tftypes.Object{AttributeTypes: types}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		b.Fatal(err)
	}
	return &tfprotov6.PlanResourceChangeRequest{TypeName: "wide_thing", Config: &dv, PriorState: &dv, ProposedNewState: &dv}
}

// benchRPC runs rpc, one of the server's RPCs for the plan of an unchanged
// resource of n attributes (built from req), once per iteration for each n.
func benchRPC(b *testing.B, rpc func(context.Context, tfprotov6.ProviderServer, *tfprotov6.PlanResourceChangeRequest) ([]*tfprotov6.Diagnostic, error)) {
	for _, n := range []int{8, 16, 32, 64} {
		b.Run(fmt.Sprintf("attributes=%d", n), func(b *testing.B) {
			server, err := providerserver.NewProtocol6WithError(wideProvider{n: n})()
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			if _, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{}); err != nil {
				b.Fatal(err)
			}
			req := refreshRequest(b, n)
			b.ReportAllocs()
			for b.Loop() {
				if diags, err := rpc(ctx, server, req); err != nil || len(diags) > 0 {
					b.Fatal(err, diags)
				}
			}
		})
	}
}

func BenchmarkFrameworkPlanRefresh(b *testing.B) {
	benchRPC(b, func(ctx context.Context, s tfprotov6.ProviderServer, req *tfprotov6.PlanResourceChangeRequest) ([]*tfprotov6.Diagnostic, error) {
		resp, err := s.PlanResourceChange(ctx, req)
		if err != nil {
			return nil, err
		}
		return resp.Diagnostics, nil
	})
}

func BenchmarkFrameworkValidate(b *testing.B) {
	benchRPC(b, func(ctx context.Context, s tfprotov6.ProviderServer, req *tfprotov6.PlanResourceChangeRequest) ([]*tfprotov6.Diagnostic, error) {
		resp, err := s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: req.TypeName, Config: req.Config})
		if err != nil {
			return nil, err
		}
		return resp.Diagnostics, nil
	})
}

func BenchmarkFrameworkRead(b *testing.B) {
	benchRPC(b, func(ctx context.Context, s tfprotov6.ProviderServer, req *tfprotov6.PlanResourceChangeRequest) ([]*tfprotov6.Diagnostic, error) {
		resp, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: req.TypeName, CurrentState: req.PriorState})
		if err != nil {
			return nil, err
		}
		return resp.Diagnostics, nil
	})
}
