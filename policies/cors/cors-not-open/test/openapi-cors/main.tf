# An HTTP API defined by an OpenAPI body with x-amazon-apigateway-cors, read from a YAML file.
resource "aws_apigatewayv2_api" "quotes" {
  name          = "quotes"
  protocol_type = "HTTP"
  body          = file("${path.module}/openapi.yaml")
}
