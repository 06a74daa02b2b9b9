package reader

import (
	"context"

	"github.com/platform-iac/terraform-provider-platform/internal/client"
)

// API is what the readers need from the client (*client.Client): the
// reads they batch, and the hook that tells them of every write.
type API interface {
	DatabaseAPI
	BackupAPI
	OnWrite(func(context.Context, client.Write))
}

// Readers are one provider process's batched readers. They hear of every
// write the client makes and drop the lists it changed (listsChangedBy),
// so a read later in the run sees the run's own writes; no resource,
// data source or action drops anything by hand.
type Readers struct {
	Databases *Databases
	Backups   *Backups
}

// New returns the readers over api and hooks them to its writes; batch
// false makes every read its own request (the provider's batch_reads).
func New(api API, me *client.Me, batch bool) *Readers {
	r := &Readers{Databases: NewDatabases(api, me, batch), Backups: NewBackups(api, batch)}
	api.OnWrite(r.wrote)
	return r
}
