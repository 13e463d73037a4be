variable "tls_policy" {
  type = string
}

resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "api.example.com"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
  security_policy          = var.tls_policy

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}
