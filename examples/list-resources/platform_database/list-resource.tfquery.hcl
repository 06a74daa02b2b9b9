# Every database of several environments (Terraform >= 1.14), with
# data.platform_environment.estate from estate.tf:
#
#   terraform query                                         # what is there
#   terraform query -generate-config-out=generated.tf       # its configuration
#   bash annotate-generated.sh generated.tf                 # where credentials go
#   terraform apply                                         # imports; the next plan is empty
#
# The platform never returns credentials: generated blocks have
# username = null, and the query warns which databases have some. Left null,
# Terraform leaves them untouched; set username and password (or password_wo
# and password_wo_version) to manage them.

list "platform_database" "estate" {
  for_each = data.platform_environment.estate
  provider = platform
  # Terraform stops reading a list at 100 results unless told otherwise.
  limit = 1000

  config {
    environment_id = each.value.id
    # Optional filters, as in the platform_databases data source:
    # type       = "postgres"
    # name_regex = "^orders-"
  }
}
