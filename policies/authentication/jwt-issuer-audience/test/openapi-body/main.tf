resource "aws_apigatewayv2_api" "catalog" {
  name          = "catalog"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "catalog", version = "1" }
    paths = {
      "/items" = {
        get = {
          security = [{ okta = [] }]
          "x-amazon-apigateway-integration" = { type = "HTTP_PROXY", httpMethod = "GET", uri = "https://backend.example.com/items", payloadFormatVersion = "1.0" }
        }
      }
    }
    components = {
      securitySchemes = {
        okta = {
          type = "oauth2"
          flows = {}
          "x-amazon-apigateway-authorizer" = {
            type             = "jwt"
            identitySource   = "$request.header.Authorization"
            jwtConfiguration = { issuer = "https://example.okta.com/oauth2/default" }
          }
        }
      }
    }
  })
}
