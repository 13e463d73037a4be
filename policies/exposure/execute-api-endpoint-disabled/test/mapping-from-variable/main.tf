# The mapping's API comes from a variable without a value: it may be this API.
variable "api_id" {
  type = string
}

resource "aws_api_gateway_rest_api" "payments" {
  name = "payments"
}

resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "api.example.com"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_base_path_mapping" "payments" {
  api_id      = var.api_id
  stage_name  = "prod"
  domain_name = aws_api_gateway_domain_name.api.domain_name
}
