#!/usr/bin/env bash
# Annotates configuration written by `terraform plan -generate-config-out`
# or `terraform query -generate-config-out`:
# above each platform_database's `username = null` it says what to add,
# because the platform never returns credentials and the provider cannot
# write comments into generated files. Safe to run more than once.
#
#   terraform plan -generate-config-out=generated.tf    # or terraform query ...
#   bash annotate-generated.sh generated.tf
set -euo pipefail
file=${1:?usage: annotate-generated.sh GENERATED.tf}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
awk '
/^resource "platform_database" / { in_db = 1 }
in_db && /^}/ { in_db = 0 }
in_db && /^[[:space:]]*username[[:space:]]*=[[:space:]]*null[[:space:]]*$/ && last !~ /leaves the stored credentials alone/ {
  match($0, /^[[:space:]]*/)
  indent = substr($0, 1, RLENGTH)
  print indent "# TODO(credentials): the platform never returns credentials, so none were generated."
  print indent "# If this database has some (plan or query warned \"Credentials not imported\"), set"
  print indent "# username and password, or password_wo and password_wo_version (Terraform/OpenTofu"
  print indent "# >= 1.11). Left null, Terraform leaves the stored credentials alone."
}
{ print; last = $0 }
' "$file" >"$tmp"
cat "$tmp" >"$file" # keeps the file's own permissions
