# See how many backups go (a warning in the plan), then apply the policy now:
terraform plan -invoke=action.platform_database_apply_retention.orders
terraform apply -invoke=action.platform_database_apply_retention.orders
