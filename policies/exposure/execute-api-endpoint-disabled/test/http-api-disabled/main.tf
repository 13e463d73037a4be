# The HTTP API is reachable only through its custom domain.
resource "aws_apigatewayv2_api" "events" {
  name                         = "events"
  protocol_type                = "HTTP"
  disable_execute_api_endpoint = true
}

resource "aws_apigatewayv2_stage" "events" {
  api_id      = aws_apigatewayv2_api.events.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_apigatewayv2_domain_name" "events" {
  domain_name = "events.example.com"

  domain_name_configuration {
    certificate_arn = "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_apigatewayv2_api_mapping" "events" {
  api_id      = aws_apigatewayv2_api.events.id
  domain_name = aws_apigatewayv2_domain_name.events.id
  stage       = aws_apigatewayv2_stage.events.id
}
