# Registers the database an application already connects to, from its
# DATABASE_URL: TF_VAR_database_url="$DATABASE_URL" terraform apply
variable "database_url" {
  description = "Connection URL, e.g. postgres://app:secret@pg.internal.example:5432/orders?sslmode=require"
  type        = string
  # The URL carries the password: this keeps it out of plan output and
  # error messages. Every attribute parsed from it is then sensitive too.
  sensitive = true
}

locals {
  orders = provider::platform::parse_database_url(var.database_url)
}

resource "platform_database" "orders" {
  environment_id = "cmwxsejuk002c1h7dp19myyf8"
  name           = "orders"
  type           = local.orders.type
  host           = local.orders.host
  port           = local.orders.port
  database_name  = local.orders.database_name
  username       = local.orders.username
  password       = local.orders.password
  use_ssl        = local.orders.use_ssl
  file_path      = local.orders.file_path
}
