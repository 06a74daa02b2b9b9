# Adopt databases registered by hand (Terraform >= 1.5, OpenTofu >= 1.6):
# write import blocks, by id or by "<environment_id>/<name>", then let the
# CLI write their configuration:
#
#   terraform plan -generate-config-out=generated.tf
#   bash annotate-generated.sh generated.tf   # marks where credentials go
#   terraform apply                           # imports; the next plan is empty
#
# The platform never returns credentials, so the generated blocks have
# username = null and the plan warns "Credentials not imported" for each
# database that has some. Left null, Terraform leaves them untouched; set
# username and password (or password_wo and password_wo_version) to manage
# them from then on.

import {
  to = platform_database.orders
  id = "cmwxsek9i002x1h7dle0wgldm"
}

import {
  to = platform_database.billing
  id = "cmwxsejuk002c1h7dp19myyf8/billing-pg"
}
