# Terraform >= 1.12 / OpenTofu >= 1.12: import by resource identity.
import {
  to = platform_database.orders
  identity = {
    id = "cmwxsek9i002x1h7dle0wgldm"
    # Optional. With it, the read that completes the import shares the
    # environment's database list with the other imports.
    environment_id = "cmwxsejuk002c1h7dp19myyf8"
  }
}

resource "platform_database" "orders" {
  environment_id = "cmwxsejuk002c1h7dp19myyf8"
  name           = "orders-pg"
  type           = "postgres"
  host           = "pg.internal.example"
  port           = 5432
  database_name  = "orders"
}
