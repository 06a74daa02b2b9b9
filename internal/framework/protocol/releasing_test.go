package protocol

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type ballastKey struct{}

// captureServer records the context each ReadResource call received.
type captureServer struct {
	tfprotov6.ProviderServer
	got   context.Context
	check func(context.Context)
}

func (c *captureServer) ReadResource(ctx context.Context, _ *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	c.got = ctx
	if c.check != nil {
		c.check(ctx)
	}
	return &tfprotov6.ReadResourceResponse{}, nil
}

func TestRPCContextLetsGoAfterReturn(t *testing.T) {
	inner := &captureServer{}
	inner.check = func(ctx context.Context) {
		if ctx.Value(ballastKey{}) != "v" {
			t.Error("during the RPC the request's values must be visible")
		}
	}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), ballastKey{}, "v"))
	defer cancel()
	if _, err := (releasingServer{inner}).ReadResource(parent, &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
	if inner.got.Value(ballastKey{}) != nil || inner.got.Done() != nil {
		t.Error("after the RPC returned its context must hold nothing of the request's")
	}
}

func TestOutliveKeepsTheRequestUntilReleased(t *testing.T) {
	var fctx context.Context
	var release func()
	inner := &captureServer{check: func(ctx context.Context) { fctx, release = Outlive(ctx) }}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), ballastKey{}, "v"))
	if _, err := (releasingServer{inner}).ReadResource(parent, &tfprotov6.ReadResourceRequest{}); err != nil {
		t.Fatal(err)
	}
	cancel()
	if fctx.Value(ballastKey{}) != "v" || inner.got.Value(ballastKey{}) != "v" {
		t.Fatal("work that outlives the RPC must keep its values (loggers, masks) until released")
	}
	if fctx.Err() != nil {
		t.Error("outliving work must not be cancelled with the request")
	}
	release()
	if inner.got.Value(ballastKey{}) != nil {
		t.Error("after the last release the RPC's context must hold nothing")
	}
}

// The framework keeps every RPC's context until StopProvider; through the
// wrapper, what it keeps no longer holds the request's values.
func TestReleasingServerDoesNotRetainRequestContexts(t *testing.T) {
	const calls, ballast = 500, 64 << 10
	retained := func(s tfprotov6.ProviderServer) uint64 {
		before := liveHeap()
		for range calls {
			ctx := context.WithValue(context.Background(), ballastKey{}, make([]byte, ballast))
			_, _ = s.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "platform_unknown"})
		}
		after := liveHeap()
		runtime.KeepAlive(s)
		if after < before {
			return 0
		}
		return after - before
	}
	plainServer, err := providerserver.NewProtocol6WithError(emptyProvider{})()
	if err != nil {
		t.Fatal(err)
	}
	wrapped := Releasing(plainServer)
	if got := retained(plainServer); got < calls*ballast/2 {
		t.Fatalf("the unwrapped framework server retained only %d bytes; this test no longer shows the leak it guards against", got)
	}
	if got := retained(wrapped); got > calls*ballast/10 {
		t.Fatalf("the wrapped server retained %d bytes after %d calls; request contexts are being kept", got, calls)
	}
}

// emptyProvider is the least a framework server can serve.
type emptyProvider struct{}

func (emptyProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "empty"
}
func (emptyProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}
func (emptyProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}
func (emptyProvider) Resources(context.Context) []func() resource.Resource       { return nil }
func (emptyProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// tf6server finds the list resource RPCs by a type assertion on the
// server it serves; a wrapper that only embedded tfprotov6.ProviderServer
// would hide them and Terraform would hear "not implemented".
func TestReleasingServerKeepsListResources(t *testing.T) {
	inner, err := providerserver.NewProtocol6WithError(emptyProvider{})()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := inner.(tfprotov6.ListResourceServer); !ok {
		t.Fatal("the framework server no longer serves list resources through tfprotov6.ListResourceServer; revisit Releasing")
	}
	wrapped, ok := Releasing(inner).(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatal("the wrapped server hides the list resource RPCs")
	}
	resp, err := wrapped.ValidateListResourceConfig(context.Background(),
		&tfprotov6.ValidateListResourceConfigRequest{TypeName: "empty_thing"})
	if err != nil {
		t.Fatal(err)
	}
	// The framework's own answer (no such list resource), not the
	// wrapper's: the call reached it.
	if len(resp.Diagnostics) == 0 || strings.Contains(resp.Diagnostics[0].Summary, "Not Implemented") {
		t.Fatalf("ValidateListResourceConfig did not reach the framework: %+v", resp.Diagnostics)
	}
}
