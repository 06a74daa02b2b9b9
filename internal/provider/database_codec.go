package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// databaseCodec reads and writes databaseResourceModel on the hot paths
// (plan, read, create, update, delete run once per database per command);
// see modelCodec. The schema's type is fixed, so it is worked out once.
var databaseCodec = sync.OnceValue(func() modelCodec {
	var resp resource.SchemaResponse
	(&databaseResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return modelCodec{typ: resp.Schema.Type().(attr.TypeWithAttributeTypes)}
})
