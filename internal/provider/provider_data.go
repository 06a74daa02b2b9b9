package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// providerDataFrom unpacks what Configure handed over. It is nil before the
// provider is configured (validate, or a plan with unknown endpoint/token).
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return data
}

// requireClient reports an error when an API call is needed but the
// provider has no client, which happens when endpoint or token were unknown
// at configure time.
func requireClient(data *providerData, diags *diag.Diagnostics) bool {
	if data != nil && data.client != nil {
		return true
	}
	diags.AddError("Provider not configured",
		"The platform provider has no endpoint and token yet (they may depend on values known only after apply). "+
			"Set them in the provider block or in PLATFORM_ENDPOINT and PLATFORM_TOKEN.")
	return false
}

// environmentName returns the name of an environment, listing environments
// at most once per provider process: plans need names only to predict
// server-made values, and one request per resource would cost users dearly
// under the platform's rate limit.
func (d *providerData) environmentName(ctx context.Context, id string) (string, error) {
	d.envMu.Lock()
	defer d.envMu.Unlock()
	if d.envNames == nil {
		envs, err := d.client.ListEnvironments(ctx)
		if err != nil {
			return "", err
		}
		d.envNames = make(map[string]string, len(envs))
		for _, e := range envs {
			d.envNames[e.ID] = e.Name
		}
	}
	return d.envNames[id], nil
}
