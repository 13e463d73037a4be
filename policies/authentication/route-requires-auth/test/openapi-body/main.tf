# Routes defined by an OpenAPI body: Cognito is the default, /status opts out with security = [],
# and /export accepts the API key alone.
resource "aws_lambda_function" "catalog" {
  function_name = "catalog"
  role          = "arn:aws:iam::123456789012:role/catalog"
  handler       = "index.handler"
  runtime       = "nodejs20.x"
  filename      = "catalog.zip"
}

resource "aws_api_gateway_rest_api" "catalog" {
  name = "catalog"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "catalog", version = "1" }
    security = [{ cognito = [] }]
    components = {
      securitySchemes = {
        cognito = {
          type                           = "apiKey"
          name                           = "Authorization"
          in                             = "header"
          "x-amazon-apigateway-authtype" = "cognito_user_pools"
          "x-amazon-apigateway-authorizer" = {
            type         = "cognito_user_pools"
            providerARNs = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_EXAMPLE"]
          }
        }
        api_key = { type = "apiKey", name = "x-api-key", in = "header" }
      }
    }
    paths = {
      "/products" = {
        get = {
          "x-amazon-apigateway-integration" = { type = "aws_proxy", httpMethod = "POST", uri = aws_lambda_function.catalog.invoke_arn }
        }
      }
      "/status" = {
        get = {
          security                          = []
          "x-amazon-apigateway-integration" = { type = "mock" }
        }
      }
      "/export" = {
        post = {
          security                          = [{ api_key = [] }]
          "x-amazon-apigateway-integration" = { type = "aws_proxy", httpMethod = "POST", uri = aws_lambda_function.catalog.invoke_arn }
        }
      }
    }
  })
}
