# Import by database id (shown on the platform and in its API):
terraform import platform_database.orders cmwxsek9i002x1h7dle0wgldm

# Or by <environment_id>/<name>, for databases registered by hand whose id is
# not at hand:
terraform import platform_database.orders cmwxsejuk002c1h7dp19myyf8/orders-pg
