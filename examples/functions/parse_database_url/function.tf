# Terraform >= 1.8 / OpenTofu >= 1.7.
output "orders_connection" {
  # { type = "postgres", host = "pg.internal.example", port = 5432,
  #   database_name = "orders", username = "app", password = null,
  #   use_ssl = true, file_path = null }
  value = provider::platform::parse_database_url("postgres://app@pg.internal.example/orders?sslmode=require")
}
