resource "aws_apigatewayv2_api" "shop" {
  name          = "shop"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "shop_only" {
  api_id           = aws_apigatewayv2_api.shop.id
  authorizer_type  = "JWT"
  name             = "shop-only"
  identity_sources = ["$request.header.Authorization"]
  jwt_configuration {
    issuer   = "https://example.eu.auth0.com/"
    audience = ["https://shop.example.com"]
  }
}

# A REST Cognito authorizer is not a JWT authorizer: not applicable.
resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_authorizer" "pool" {
  name          = "pool"
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc"]
}
