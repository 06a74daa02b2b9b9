package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/platform-iac/terraform-provider-platform/internal/framework/codec"
)

// databaseCodec reads and writes databaseResourceModel on the hot paths
// (plan, read, create, update, delete run once per database per command);
// see codec.Codec. The schema's type is fixed, so it is worked out once.
var databaseCodec = sync.OnceValue(func() codec.Codec {
	var resp resource.SchemaResponse
	(&databaseResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return codec.New(resp.Schema.Type().(attr.TypeWithAttributeTypes))
})
