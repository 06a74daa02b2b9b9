// Command noopprovider is a benchmark baseline: a plugin that serves the
// platform provider's exact schemas over protocol 6 straight on
// terraform-plugin-go and does nothing else. No framework, no API calls:
// plans echo Terraform's proposed state, applies echo the plan, reads echo
// the state. What it costs against terraform_data is what Terraform, gRPC
// and msgpack charge for a plugin resource of this shape, which no provider
// implementation can avoid; what platform_database costs on top of it is
// the framework's and ours.
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/platform-iac/terraform-provider-platform/internal/process"
	"github.com/platform-iac/terraform-provider-platform/internal/provider"
)

func main() {
	// The same process settings as the provider binary, so that only the
	// RPC handling differs.
	process.QuietUnseenLogs("registry.terraform.io/platform-iac/platform")
	process.TuneGC()
	err := tf6server.Serve("registry.terraform.io/platform-iac/platform", func() tfprotov6.ProviderServer {
		framework, err := provider.NewProtocol6Server("noop")()
		if err != nil {
			log.Fatal(err)
		}
		schemas, err := framework.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			log.Fatal(err)
		}
		types := map[string]tftypes.Type{}
		for name, s := range schemas.ResourceSchemas {
			types[name] = s.ValueType()
		}
		// The framework server answers the RPCs made once per run (schemas,
		// metadata, identity schemas); the per-resource ones are overridden.
		return noop{ProviderServer: framework, types: types}
	})
	if err != nil {
		log.Fatal(err)
	}
}

type noop struct {
	tfprotov6.ProviderServer
	types map[string]tftypes.Type
}

func (noop) ValidateProviderConfig(_ context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (noop) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

func (noop) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

// UpgradeResourceState decodes the stored JSON as every plugin must.
func (n noop) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	typ := n.types[req.TypeName]
	v, err := req.RawState.UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return nil, err
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

func (noop) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

// PlanResourceChange decodes the proposed state and, for a create, marks id
// unknown so the apply can fill it in (Terraform rejects an apply that
// changes a value planned as known); other computed attributes the
// configuration leaves null stay null through the apply. Then it encodes
// the plan again: the least a real plan does.
func (n noop) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	typ := n.types[req.TypeName]
	proposed, err := req.ProposedNewState.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	prior, err := req.PriorState.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	planned := proposed
	if prior.IsNull() && !proposed.IsNull() {
		planned, err = tftypes.Transform(proposed, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
			if len(p.Steps()) == 1 && p.Steps()[0] == tftypes.AttributeName("id") {
				return tftypes.NewValue(v.Type(), tftypes.UnknownValue), nil
			}
			return v, nil
		})
		if err != nil {
			return nil, err
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, planned)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: &dv, PlannedPrivate: req.PriorPrivate}, nil
}

// ApplyResourceChange gives unknown values a value and echoes the rest.
func (n noop) ApplyResourceChange(_ context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	typ := n.types[req.TypeName]
	planned, err := req.PlannedState.Unmarshal(typ)
	if err != nil {
		return nil, err
	}
	seq := 0
	state, err := tftypes.Transform(planned, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		if v.Type().Is(tftypes.String) {
			seq++
			return tftypes.NewValue(tftypes.String, fmt.Sprintf("noop-%p-%d", req, seq)), nil
		}
		return tftypes.NewValue(v.Type(), nil), nil
	})
	if err != nil {
		return nil, err
	}
	dv, err := tfprotov6.NewDynamicValue(typ, state)
	if err != nil {
		return nil, err
	}
	return &tfprotov6.ApplyResourceChangeResponse{NewState: &dv, Private: req.PlannedPrivate}, nil
}
