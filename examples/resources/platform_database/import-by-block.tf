# Terraform >= 1.5 / OpenTofu >= 1.6: adopt a database registered by hand.
# `terraform plan -generate-config-out=generated.tf` writes the resource
# block below for you if you leave it out.
import {
  to = platform_database.orders
  # A database id, or <environment_id>/<name>.
  id = "cmwxsejuk002c1h7dp19myyf8/orders-pg"
}

resource "platform_database" "orders" {
  environment_id = "cmwxsejuk002c1h7dp19myyf8"
  name           = "orders-pg"
  type           = "postgres"
  host           = "pg.internal.example"
  port           = 5432
  database_name  = "orders"
}
