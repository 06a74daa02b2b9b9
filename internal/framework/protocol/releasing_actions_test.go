package protocol

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// tf6server finds the action RPCs by a type assertion on the server it
// serves: the wrapper must keep them, and reach the framework's.
func TestReleasingServerKeepsActions(t *testing.T) {
	inner, err := providerserver.NewProtocol6WithError(actionProvider{})()
	if err != nil {
		t.Fatal(err)
	}
	s, ok := Releasing(inner).(tfprotov6.ActionServer)
	if !ok {
		t.Fatal("the wrapped server hides the action RPCs")
	}
	// The framework's own answers, not an empty one from the wrapper: its
	// action validates, and an action it does not have is an error.
	resp, err := s.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{ActionType: "test_noop"})
	if err != nil || len(resp.Diagnostics) != 0 {
		t.Fatalf("ValidateActionConfig of the framework's action: %v %+v", err, resp)
	}
	resp, err = s.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{ActionType: "test_missing"})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) == 0 {
		t.Fatal("an action the framework does not have validated: the call did not reach the framework")
	}
}

type actionProvider struct{}

func (actionProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "test"
}
func (actionProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (actionProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (actionProvider) Resources(context.Context) []func() resource.Resource       { return nil }
func (actionProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }
func (actionProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{func() action.Action { return noopAction{} }}
}

type noopAction struct{}

func (noopAction) Metadata(_ context.Context, _ action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = "test_noop"
}
func (noopAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{}
}
func (noopAction) Invoke(context.Context, action.InvokeRequest, *action.InvokeResponse) {}
