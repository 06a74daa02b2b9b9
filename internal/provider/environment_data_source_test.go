package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// The platform refuses duplicate environment names on create, so the
// simulator cannot produce two; a server that lists two anyway (renamed
// behind the API's back) must get a clear error, not an arbitrary pick.
func TestEnvironmentDataSource_severalMatch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("content-type", "application/json")
		fmt.Fprint(w, `{"environments":[{"id":"e1","name":"dup","createdAt":"x"},{"id":"e2","name":"dup","createdAt":"y"}]}`)
	}))
	defer srv.Close()
	c, err := client.New(client.Config{Endpoint: srv.URL, Token: "bport_pat_t"})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ds := &environmentDataSource{dataSourceBase{name: "environment", data: &providerData{client: c}}}
	var schemaResp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	s := schemaResp.Schema
	raw := tftypes.NewValue(s.Type().TerraformType(ctx), map[string]tftypes.Value{
		"id":         tftypes.NewValue(tftypes.String, nil),
		"name":       tftypes.NewValue(tftypes.String, "dup"),
		"created_at": tftypes.NewValue(tftypes.String, nil),
	})
	resp := datasource.ReadResponse{State: tfsdk.State{Schema: s}}
	ds.Read(ctx, datasource.ReadRequest{Config: tfsdk.Config{Schema: s, Raw: raw}}, &resp)

	if resp.Diagnostics.ErrorsCount() != 1 {
		t.Fatalf("diagnostics = %v, want one error", resp.Diagnostics)
	}
	d := resp.Diagnostics.Errors()[0]
	withPath, ok := d.(interface{ Path() path.Path })
	if d.Summary() != "Several environments match" || !ok || !withPath.Path().Equal(path.Root("name")) {
		t.Errorf("got %q at %v, want \"Several environments match\" on name", d.Summary(), d)
	}
}
