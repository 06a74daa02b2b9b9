terraform {
  required_version = ">= 1.5"

  required_providers {
    platform = {
      source  = "platform-iac/platform"
      version = "~> 0.1"
    }
  }
}

# Recommended: no arguments. The provider reads the endpoint and the token from
# the environment, so the token never appears in configuration files:
#
#   export PLATFORM_ENDPOINT=https://deploy.example.com
#   export PLATFORM_TOKEN=bport_pat_...
provider "platform" {}
