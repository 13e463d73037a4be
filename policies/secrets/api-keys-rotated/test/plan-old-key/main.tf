# Two keys exist already (terraform.tfstate): one created in February 2025, long past 90 days, and
# one disabled. The plan also creates a new key, whose creation time is unknown until apply: it has
# no age to judge.
resource "aws_api_gateway_api_key" "legacy_partner" {
  name = "legacy-partner"
}

resource "aws_api_gateway_api_key" "retired" {
  name    = "retired-partner"
  enabled = false
}

resource "aws_api_gateway_api_key" "mobile" {
  name = "mobile-app"
}
