#!/usr/bin/env bash
# Runs `terraform validate` on every Terraform fixture and sample, so that test inputs stay valid for
# the real tool (a scanner's fixtures that Terraform would reject prove nothing). Needs a terraform
# binary and a local mirror of the hashicorp/aws provider (TF_PLUGIN_DIR, default /opt/tf-plugins);
# not part of `npm test`, which must not depend on terraform. Usage: scripts/validate-fixtures.sh
set -uo pipefail
cd "$(dirname "$0")/.."
plugins="${TF_PLUGIN_DIR:-/opt/tf-plugins}"
command -v terraform >/dev/null || { echo "terraform is not installed"; exit 2; }

# Fixtures that are invalid on purpose, or need what an offline machine lacks.
declare -A skip=(
  [test/fixtures/terraform/syntax-error]="invalid on purpose (syntax error)"
  [test/fixtures/secrets/broken-near-secret]="invalid on purpose (syntax error)"
  [test/fixtures/terraform/cycle]="invalid on purpose (reference cycle)"
  [test/fixtures/terraform/modules/root]="calls a registry module (needs the internet)"
  [test/fixtures/terraform/downloaded-module]="calls a registry module (needs the internet)"
  [test/fixtures/terraform/empty]="empty on purpose"
  [test/fixtures/precision/tf-required]="invalid on purpose (missing required arguments)"
  [test/fixtures/precision/tf-rejected/unsupported]="invalid on purpose (an unsupported argument; region needs provider 6.x)"
  [test/fixtures/precision/tf-rejected/undeclared]="invalid on purpose (references to undeclared resources)"
  [test/fixtures/aws/model]="uses the hashicorp/random provider (not mirrored)"
  [policies/secrets/no-static-api-keys/test/not-in-code]="uses the hashicorp/random provider (not mirrored)"
)

failed=0
while IFS= read -r dir; do
  if [[ -n "${skip[$dir]:-}" ]]; then echo "skip  $dir: ${skip[$dir]}"; continue; fi
  data=$(mktemp -d)
  if out=$(cd "$dir" && TF_DATA_DIR="$data" terraform init -backend=false -plugin-dir="$plugins" -input=false -no-color 2>&1 && TF_DATA_DIR="$data" terraform validate -no-color 2>&1); then
    echo "ok    $dir"
  else
    echo "FAIL  $dir"; echo "$out" | sed 's/^/      /' | tail -15; failed=1
  fi
  rm -rf "$data" "$dir/.terraform.lock.hcl"
done < <(find policies test/fixtures samples -name '*.tf' -o -name '*.tf.json' | grep -v '/modules/[^/]*/[^/]*$' | grep -v '/\.terraform/' | xargs -n1 dirname | sort -u)
exit $failed
