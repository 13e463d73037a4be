# The partner endpoint is protected by an API key only: a shared static secret, not an identity.
resource "aws_api_gateway_rest_api" "partner" {
  name = "partner-api"
}

resource "aws_api_gateway_resource" "prices" {
  rest_api_id = aws_api_gateway_rest_api.partner.id
  parent_id   = aws_api_gateway_rest_api.partner.root_resource_id
  path_part   = "prices"
}

resource "aws_api_gateway_method" "prices" {
  rest_api_id      = aws_api_gateway_rest_api.partner.id
  resource_id      = aws_api_gateway_resource.prices.id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = true
}

resource "aws_api_gateway_method" "prices_with_iam" {
  rest_api_id      = aws_api_gateway_rest_api.partner.id
  resource_id      = aws_api_gateway_resource.prices.id
  http_method      = "PUT"
  authorization    = "AWS_IAM"
  api_key_required = true
}
