resource "aws_apigatewayv2_api" "shop" {
  name          = "shop"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "any_client" {
  api_id           = aws_apigatewayv2_api.shop.id
  authorizer_type  = "JWT"
  name             = "any-client"
  identity_sources = ["$request.header.Authorization"]
  jwt_configuration {
    issuer   = "https://example.eu.auth0.com/"
    audience = []
  }
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

resource "aws_apigatewayv2_authorizer" "no_configuration" {
  api_id           = aws_apigatewayv2_api.shop.id
  authorizer_type  = "JWT"
  name             = "no-configuration"
  identity_sources = ["$request.header.Authorization"]
}
