# HTTP API routes: /me uses the JWT authorizer; /health and the $default catch-all do not.
resource "aws_apigatewayv2_api" "app" {
  name          = "app-http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.app.id
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]
  name             = "auth0"

  jwt_configuration {
    audience = ["https://api.example.com"]
    issuer   = "https://example.eu.auth0.com/"
  }
}

resource "aws_apigatewayv2_route" "me" {
  api_id             = aws_apigatewayv2_api.app.id
  route_key          = "GET /me"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
}

resource "aws_apigatewayv2_route" "health" {
  api_id    = aws_apigatewayv2_api.app.id
  route_key = "GET /health"
}

resource "aws_apigatewayv2_route" "fallback" {
  api_id             = aws_apigatewayv2_api.app.id
  route_key          = "$default"
  authorization_type = "NONE"
}
