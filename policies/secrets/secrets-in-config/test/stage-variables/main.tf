resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = "abc123"
  stage_name    = "prod"
  variables = {
    backend_url = "https://orders.internal.example.com"
    db_password = "FAKEstagePassw0rdValue"
    partner     = "FAKEq7Rk2Lm9Xz4Tb8Wn3Vc6"
    auth_mode   = "cognito"
  }
}

resource "aws_apigatewayv2_api" "shop" {
  name          = "shop"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "live" {
  api_id = aws_apigatewayv2_api.shop.id
  name   = "live"
  stage_variables = {
    upstream_api_key = "FAKEhttpStageKey0001xyz"
    region           = "eu-west-1"
  }
}
