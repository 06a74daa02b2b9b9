terraform {
  # provider::platform::parse_database_url needs Terraform >= 1.8 or
  # OpenTofu >= 1.7; this module's tests need Terraform >= 1.7 (mocks) too.
  required_version = ">= 1.8.0"

  required_providers {
    platform = {
      source = "platform-iac/platform"
    }
  }
}
