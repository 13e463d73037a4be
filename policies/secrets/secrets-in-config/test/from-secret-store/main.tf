variable "partner_token" {
  type      = string
  sensitive = true
}

data "aws_secretsmanager_secret_version" "partner" {
  secret_id = "partner-api"
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = "abc123"
  stage_name    = "prod"
  variables = {
    partner_token = var.partner_token
    partner_key   = data.aws_secretsmanager_secret_version.partner.secret_string
    backend_url   = "https://orders.internal.example.com"
  }
}
