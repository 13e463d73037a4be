# No stage of this API is in the configuration, so its limits cannot be known.
resource "aws_api_gateway_rest_api" "internal" {
  name = "internal"
}

resource "aws_api_gateway_method" "ping" {
  rest_api_id   = aws_api_gateway_rest_api.internal.id
  resource_id   = aws_api_gateway_rest_api.internal.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}
