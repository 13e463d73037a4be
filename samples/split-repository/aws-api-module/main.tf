# The platform team's HTTP API module: the API, its CORS configuration and its JWT authorizer.
# Each service adds its own routes and stage from its own repository (see ../aws-routes-stack/),
# passing the api_id output along.
resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = "Shared HTTP API for the shop's services"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins     = var.cors_allow_origins
    allow_credentials = true
    allow_methods     = ["GET", "POST", "PUT", "DELETE"]
    allow_headers     = ["authorization", "content-type"]
    max_age           = 600
  }

  tags = var.tags
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.this.id
  name             = "${var.name}-jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = var.jwt_audience
  }
}
