resource "aws_cognito_user_pool" "customers" {
  name = "customers"
}

resource "aws_cognito_user_pool_client" "storefront" {
  name         = "storefront"
  user_pool_id = aws_cognito_user_pool.customers.id
}

resource "aws_apigatewayv2_api" "shop" {
  name          = "shop"
  protocol_type = "HTTP"
}

# Issuer and audience come from resources created in the same apply: set, with values known later.
resource "aws_apigatewayv2_authorizer" "customers" {
  api_id           = aws_apigatewayv2_api.shop.id
  authorizer_type  = "JWT"
  name             = "customers"
  identity_sources = ["$request.header.Authorization"]
  jwt_configuration {
    issuer   = "https://cognito-idp.eu-west-1.amazonaws.com/${aws_cognito_user_pool.customers.id}"
    audience = [aws_cognito_user_pool_client.storefront.id]
  }
}
