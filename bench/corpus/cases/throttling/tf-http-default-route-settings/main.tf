resource "aws_apigatewayv2_api" "shop" {
  name          = "shop"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "lambda" {
  api_id                 = aws_apigatewayv2_api.shop.id
  integration_type       = "AWS_PROXY"
  integration_uri        = "arn:aws:lambda:eu-west-1:123456789012:function:shop"
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "basket" {
  api_id             = aws_apigatewayv2_api.shop.id
  route_key          = "POST /basket"
  target             = "integrations/${aws_apigatewayv2_integration.lambda.id}"
  authorization_type = "AWS_IAM"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.shop.id
  name        = "$default"
  auto_deploy = true
  default_route_settings {
    throttling_rate_limit  = 200
    throttling_burst_limit = 100
  }
}
