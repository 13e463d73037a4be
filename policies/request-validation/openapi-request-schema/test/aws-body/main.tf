# A REST API and an HTTP API defined by OpenAPI bodies, with no request validators.
resource "aws_api_gateway_rest_api" "catalog" {
  name = "catalog"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "catalog", version = "1" }
    paths = {
      "/products" = {
        post = {
          requestBody = {
            content = { "application/json" = {} }
          }
          "x-amazon-apigateway-integration" = { type = "http_proxy", httpMethod = "POST", uri = "https://catalog.example.com/products" }
        }
        put = {
          requestBody = {
            content = { "application/json" = { schema = { type = "object" } } }
          }
          "x-amazon-apigateway-integration" = { type = "http_proxy", httpMethod = "PUT", uri = "https://catalog.example.com/products" }
        }
        get = {
          "x-amazon-apigateway-integration" = { type = "http_proxy", httpMethod = "GET", uri = "https://catalog.example.com/products" }
        }
      }
    }
  })
}

resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "orders", version = "1" }
    paths = {
      "/orders" = {
        post = {
          requestBody = { description = "the order" }
          "x-amazon-apigateway-integration" = { type = "http_proxy", httpMethod = "POST", uri = "https://orders.example.com/orders", payloadFormatVersion = "1.0" }
        }
      }
    }
  })
}
