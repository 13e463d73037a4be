terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

# Mock credentials: plans of this fixture are generated offline (scripts/generate-plan-fixtures.sh).
provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
