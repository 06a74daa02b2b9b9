package protocol

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The action RPCs are not in tfprotov6.ProviderServer yet: tf6server finds
// them by a type assertion on the server it serves, which embedding alone
// would hide behind the wrapper, and Terraform would be told the provider
// implements none. So the wrapper implements them, passing each through
// unchanged: Terraform makes them once per action, and InvokeAction's
// progress events are produced after it has returned, while Terraform
// reads the stream, so its context must not be let go at return.

var _ tfprotov6.ActionServer = releasingServer{}

func (s releasingServer) actions() (tfprotov6.ActionServer, error) {
	a, ok := s.ProviderServer.(tfprotov6.ActionServer)
	if !ok {
		return nil, fmt.Errorf("the provider server %T implements no actions", s.ProviderServer)
	}
	return a, nil
}

func (s releasingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	a, err := s.actions()
	if err != nil {
		return nil, err
	}
	return a.ValidateActionConfig(ctx, req)
}

func (s releasingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	a, err := s.actions()
	if err != nil {
		return nil, err
	}
	return a.PlanAction(ctx, req)
}

func (s releasingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	a, err := s.actions()
	if err != nil {
		return nil, err
	}
	return a.InvokeAction(ctx, req)
}
