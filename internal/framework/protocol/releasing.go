// Package protocol holds what the provider adds at the plugin protocol
// level, below the framework.
package protocol

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Releasing wraps a framework protocol 6 server so that it lets go of each
// RPC's context once the RPC has returned.
//
// The framework's server keeps a cancel function for the context of every
// RPC it has handled until StopProvider, which Terraform sends only when it
// is interrupted. Each of those contexts carries terraform-plugin-go's
// per-request loggers, so a plan of 1000 databases kept some 60 MB of
// dead request contexts alive, most of the provider's peak memory. The
// wrapper hands the framework a context that lets go of the request's
// context once the RPC has returned (and nothing started by it still needs
// it, see Outlive), so only a few bytes per RPC stay behind.
//
// The RPCs terraform-plugin-go still keeps out of tfprotov6.ProviderServer
// (list resources and actions) are found on the wrapped server by a type
// assertion, which embedding alone would hide: the wrapper must implement
// them too, or Terraform is told the provider has none. List resources are
// passed on only when the wrapped server has them; the actions always are
// (releasing_actions.go), failing at call time on a server without them.
func Releasing(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	r := releasingServer{s}
	if l, ok := s.(tfprotov6.ListResourceServer); ok {
		return releasingListServer{releasingServer: r, list: l}
	}
	return r
}

// releasingServer wraps the RPCs Terraform makes once per resource
// instance; the others are made a handful of times per run.
type releasingServer struct {
	tfprotov6.ProviderServer
}

func serveReleasing[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	rctx := newRPCContext(ctx)
	defer rctx.done()
	return rpc(rctx, req)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serveReleasing(ctx, req, s.ProviderServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serveReleasing(ctx, req, s.ProviderServer.UpgradeResourceState)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serveReleasing(ctx, req, s.ProviderServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serveReleasing(ctx, req, s.ProviderServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serveReleasing(ctx, req, s.ProviderServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serveReleasing(ctx, req, s.ProviderServer.ImportResourceState)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serveReleasing(ctx, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serveReleasing(ctx, req, s.ProviderServer.ReadDataSource)
}

// releasingListServer passes the list resource RPCs through unchanged:
// Terraform makes them once per list block, and ListResource's results
// are produced after it has returned, while Terraform reads the stream, so
// its context must not be let go at return.
type releasingListServer struct {
	releasingServer
	list tfprotov6.ListResourceServer
}

func (s releasingListServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return s.list.ValidateListResourceConfig(ctx, req)
}

func (s releasingListServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	return s.list.ListResource(ctx, req)
}

// rpcContext stands in for an RPC's context: it answers exactly as the
// request's context does until the RPC has returned and every piece of work
// that outlives it (see Outlive) has finished; from then on it holds nothing.
type rpcContext struct {
	parent atomic.Pointer[context.Context]
	mu     sync.Mutex
	users  int // the RPC itself plus outliving work
}

type rpcContextKey struct{}

var released = context.Background()

func newRPCContext(parent context.Context) *rpcContext {
	c := &rpcContext{users: 1}
	c.parent.Store(&parent)
	return c
}

func (c *rpcContext) ctx() context.Context { return *c.parent.Load() }

func (c *rpcContext) done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.users--
	if c.users == 0 {
		c.parent.Store(&released)
	}
}

func (c *rpcContext) Deadline() (time.Time, bool) { return c.ctx().Deadline() }
func (c *rpcContext) Done() <-chan struct{}       { return c.ctx().Done() }
func (c *rpcContext) Err() error                  { return c.ctx().Err() }

func (c *rpcContext) Value(key any) any {
	if key == (rpcContextKey{}) {
		return c
	}
	return c.ctx().Value(key)
}

// Outlive returns a context, without the RPC's cancellation, for work that
// may run on after the RPC that started it has returned (a batched list
// other reads wait for). It keeps the RPC's loggers and log masks until
// release is called.
func Outlive(ctx context.Context) (_ context.Context, release func()) {
	c, ok := ctx.Value(rpcContextKey{}).(*rpcContext)
	if !ok {
		return context.WithoutCancel(ctx), func() {}
	}
	c.mu.Lock()
	c.users++
	c.mu.Unlock()
	return context.WithoutCancel(ctx), c.done
}
