# None of these keys has its value in the code.
variable "ci_key" {
  type      = string
  sensitive = true
}

resource "random_password" "internal" {
  length  = 40
  special = false
}

data "aws_secretsmanager_secret_version" "partner" {
  secret_id = "prod/partner-api-key"
}

resource "aws_api_gateway_api_key" "generated_by_aws" {
  name = "generated"
}

resource "aws_api_gateway_api_key" "random" {
  name  = "internal"
  value = random_password.internal.result
}

resource "aws_api_gateway_api_key" "from_secrets_manager" {
  name  = "partner"
  value = data.aws_secretsmanager_secret_version.partner.secret_string
}

resource "aws_api_gateway_api_key" "from_ci" {
  name  = "ci"
  value = var.ci_key
}
