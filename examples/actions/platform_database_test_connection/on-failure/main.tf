data "platform_environment" "staging" {
  name = "staging"
}

# Terraform 1.16 or later: a failed connection test is a warning, not a
# failed apply (on_failure = continue), for a database whose host may not
# be up yet when it is registered. With on_failure = taint instead, the
# failed test fails the apply and the next apply registers the database
# anew; halt (the default) fails the apply and keeps it.
resource "platform_database" "reports" {
  environment_id = data.platform_environment.staging.id
  name           = "reports-pg"
  type           = "postgres"
  host           = "pg-reports.internal.example"
  port           = 5432

  lifecycle {
    action_trigger {
      events     = [after_create, after_update]
      actions    = [action.platform_database_test_connection.reports]
      on_failure = continue
    }
  }
}

action "platform_database_test_connection" "reports" {
  config {
    environment_id = platform_database.reports.environment_id
    database_id    = platform_database.reports.id
  }
}
