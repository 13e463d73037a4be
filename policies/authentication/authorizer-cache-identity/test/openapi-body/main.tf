resource "aws_api_gateway_rest_api" "catalog" {
  name = "catalog"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "catalog", version = "1" }
    paths = {
      "/items" = {
        get = {
          security = [{ session = [] }]
          "x-amazon-apigateway-integration" = { type = "HTTP_PROXY", httpMethod = "GET", uri = "https://backend.example.com/items" }
        }
      }
    }
    components = {
      securitySchemes = {
        session = {
          type = "apiKey"
          name = "Unused"
          in   = "header"
          "x-amazon-apigateway-authtype" = "custom"
          "x-amazon-apigateway-authorizer" = {
            type                         = "request"
            identitySource               = "method.request.header.X-Shop, context.stage"
            authorizerUri                = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authz/invocations"
          }
        }
      }
    }
  })
}
