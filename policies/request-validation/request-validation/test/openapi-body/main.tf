# A REST API defined by an OpenAPI body: the document-wide validator checks bodies only.
resource "aws_api_gateway_rest_api" "catalog" {
  name = "catalog"
  body = jsonencode({
    openapi                                     = "3.0.1"
    info                                        = { title = "catalog", version = "1" }
    "x-amazon-apigateway-request-validator"     = "body-only"
    "x-amazon-apigateway-request-validators" = {
      "body-only" = { validateRequestBody = true, validateRequestParameters = false }
      "all"       = { validateRequestBody = true, validateRequestParameters = true }
    }
    paths = {
      "/products" = {
        post = {
          requestBody = {
            content = { "application/json" = { schema = { type = "object", properties = { sku = { type = "string" } } } } }
          }
          "x-amazon-apigateway-integration" = { type = "aws_proxy", httpMethod = "POST", uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:catalog/invocations" }
        }
      }
      "/products/{id}" = {
        get = {
          parameters                        = [{ name = "id", in = "path", required = true, schema = { type = "string" } }]
          "x-amazon-apigateway-integration" = { type = "http_proxy", httpMethod = "GET", uri = "https://catalog.example.com/products/{id}" }
        }
        put = {
          "x-amazon-apigateway-request-validator" = "all"
          parameters                              = [{ name = "id", in = "path", required = true, schema = { type = "string" } }]
          requestBody = {
            content = { "application/json" = { schema = { type = "object" } } }
          }
          "x-amazon-apigateway-integration" = { type = "http_proxy", httpMethod = "PUT", uri = "https://catalog.example.com/products/{id}" }
        }
      }
      "/uploads" = {
        post = {
          "x-amazon-apigateway-integration" = { type = "http_proxy", httpMethod = "POST", uri = "https://catalog.example.com/uploads" }
        }
      }
    }
  })
}
