# An HTTP API's domain: v2 domains support TLS_1_2 only.
resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_domain_name" "orders" {
  domain_name = "orders.example.com"

  domain_name_configuration {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_apigatewayv2_api_mapping" "orders" {
  api_id      = aws_apigatewayv2_api.orders.id
  domain_name = aws_apigatewayv2_domain_name.orders.id
  stage       = "$default"
}
