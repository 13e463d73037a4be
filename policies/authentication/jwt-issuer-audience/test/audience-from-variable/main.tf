variable "audiences" {
  type = list(string)
}

resource "aws_apigatewayv2_api" "shop" {
  name          = "shop"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "pool" {
  api_id           = aws_apigatewayv2_api.shop.id
  authorizer_type  = "JWT"
  name             = "pool"
  identity_sources = ["$request.header.Authorization"]
  jwt_configuration {
    issuer   = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc"
    audience = var.audiences
  }
}
