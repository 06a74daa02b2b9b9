// Command terraform-provider-platform serves the platform provider to
// Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/platform-iac/terraform-provider-platform/internal/process"
	"github.com/platform-iac/terraform-provider-platform/internal/provider"
)

// version is set at release time with
// -ldflags "-X main.version=1.2.3"; the full import path is not needed for
// package main, and a wrong path would be silently ignored by the linker,
// which is why TestVersionLdflag builds the binary and checks the result.
var version = "dev"

// registryAddress is where the registry publishes the provider.
const registryAddress = "registry.terraform.io/platform-iac/platform"

func main() {
	var debug, showVersion bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.BoolVar(&showVersion, "version", false, "print the provider version and exit")
	flag.Parse()

	if showVersion {
		fmt.Println(version)
		os.Exit(0)
	}

	process.QuietUnseenLogs(registryAddress)
	process.TuneGC()
	stopProfile := process.StartBenchProfile()
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	serve := provider.NewProtocol6Server(version)
	err := tf6server.Serve(registryAddress, func() tfprotov6.ProviderServer {
		s, err := serve()
		if err != nil {
			log.Fatal(err.Error())
		}
		return s
	}, opts...)
	stopProfile()
	if err != nil {
		log.Fatal(err.Error())
	}
}
