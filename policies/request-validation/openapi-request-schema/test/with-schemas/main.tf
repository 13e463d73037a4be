# Every body has a schema: a media type's (through components/schemas) and a requestBodies reference.
resource "aws_apigatewayv2_api" "orders" {
  name          = "orders"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "orders", version = "1" }
    components = {
      schemas       = { Order = { type = "object", properties = { sku = { type = "string" } }, additionalProperties = false } }
      requestBodies = { Order = { content = { "application/json" = { schema = { "$ref" = "#/components/schemas/Order" } } } } }
    }
    paths = {
      "/orders" = {
        post = {
          requestBody = { content = { "application/json" = { schema = { "$ref" = "#/components/schemas/Order" } } } }
          "x-amazon-apigateway-integration" = { type = "http_proxy", httpMethod = "POST", uri = "https://orders.example.com/orders", payloadFormatVersion = "1.0" }
        }
        put = {
          requestBody = { "$ref" = "#/components/requestBodies/Order" }
          "x-amazon-apigateway-integration" = { type = "http_proxy", httpMethod = "PUT", uri = "https://orders.example.com/orders", payloadFormatVersion = "1.0" }
        }
      }
    }
  })
}
