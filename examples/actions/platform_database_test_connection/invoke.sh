# Check the platform can still reach the database, without changing anything:
terraform apply -invoke=action.platform_database_test_connection.orders
