#!/usr/bin/env bash
# Regenerates the Terraform plan fixtures from their .tf sources with the real terraform binary and a
# local mirror of the hashicorp/aws provider (TF_PLUGIN_DIR, default /opt/tf-plugins), offline, with
# mock credentials (see providers.tf in each fixture). Tests read the committed plan.json files and
# never run terraform. Usage: scripts/generate-plan-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
plugins="${TF_PLUGIN_DIR:-/opt/tf-plugins}"

plan() {
  local dir="$1" data
  data=$(mktemp -d)
  (
    cd "$dir"
    TF_DATA_DIR="$data" terraform init -backend=false -plugin-dir="$plugins" -input=false -no-color >/dev/null
    # -refresh=false: nothing is read from AWS; resources in terraform.tfstate count as existing.
    TF_DATA_DIR="$data" terraform plan -refresh=false -input=false -no-color -out="$data/plan.out" >/dev/null
    TF_DATA_DIR="$data" terraform show -json "$data/plan.out" > plan.json
    rm -f .terraform.lock.hcl
  )
  rm -rf "$data"
  echo "wrote $dir/plan.json"
}

plan test/fixtures/plans/multi-module
plan test/fixtures/plans/existing-and-destroyed
plan test/fixtures/conformance/plan
plan policies/secrets/api-keys-rotated/test/plan-old-key
# The same plan without its source next to it: findings point into the plan itself.
cp test/fixtures/conformance/plan/plan.json test/fixtures/conformance/plan-only/plan.json
# terraform show -json writes one line; a pretty-printed copy checks real line numbers in plans.
node -e "const fs=require('fs');fs.writeFileSync(process.argv[2],JSON.stringify(JSON.parse(fs.readFileSync(process.argv[1],'utf8')),null,2)+'\n')" \
  test/fixtures/plans/multi-module/plan.json test/fixtures/plans/pretty/tfplan.json
echo "wrote test/fixtures/plans/pretty/tfplan.json"
