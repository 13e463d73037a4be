# A REST API defined by an OpenAPI body, behind a Lambda TOKEN authorizer on the X-Token header.
resource "aws_api_gateway_rest_api" "accounts" {
  name = "accounts"
  body = jsonencode({
    openapi  = "3.0.1"
    info     = { title = "accounts", version = "1" }
    security = [{ token = [] }]
    components = {
      securitySchemes = {
        token = {
          type                           = "apiKey"
          name                           = "X-Token"
          in                             = "header"
          "x-amazon-apigateway-authtype" = "custom"
          "x-amazon-apigateway-authorizer" = {
            type          = "token"
            authorizerUri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token/invocations"
          }
        }
      }
    }
    paths = {
      "/balance" = {
        get = {
          "x-amazon-apigateway-integration" = { type = "http_proxy", httpMethod = "GET", uri = "https://backend.example.com/balance" }
        }
      }
      "/statements" = {
        get = {
          parameters = [{ name = "X-Token", in = "header", required = true, schema = { type = "string" } }]
          "x-amazon-apigateway-integration" = {
            type               = "http_proxy"
            httpMethod         = "GET"
            uri                = "https://backend.example.com/statements"
            cacheKeyParameters = ["method.request.header.X-Token"]
          }
        }
      }
    }
  })
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.accounts.id
  deployment_id         = "abc123"
  stage_name            = "prod"
  cache_cluster_enabled = true
}
