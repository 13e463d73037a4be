# The orders API proxies to a partner over HTTPS: prod presents the API's client certificate to it,
# staging does not. The prices API only calls Lambda: its stage needs none.
resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_resource" "quotes" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "quotes"
}

resource "aws_api_gateway_method" "quotes" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.quotes.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "quotes" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.quotes.id
  http_method             = aws_api_gateway_method.quotes.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://quotes.partner.example.com/v1/quotes"
}

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
}

resource "aws_api_gateway_client_certificate" "orders" {
  description = "orders backend"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.orders.id
  deployment_id         = aws_api_gateway_deployment.orders.id
  stage_name            = "prod"
  client_certificate_id = aws_api_gateway_client_certificate.orders.id
}

resource "aws_api_gateway_stage" "staging" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "staging"
}

resource "aws_api_gateway_rest_api" "prices" {
  name = "prices"
}

resource "aws_api_gateway_method" "prices" {
  rest_api_id   = aws_api_gateway_rest_api.prices.id
  resource_id   = aws_api_gateway_rest_api.prices.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "prices" {
  rest_api_id             = aws_api_gateway_rest_api.prices.id
  resource_id             = aws_api_gateway_rest_api.prices.root_resource_id
  http_method             = aws_api_gateway_method.prices.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:prices/invocations"
}

resource "aws_api_gateway_deployment" "prices" {
  rest_api_id = aws_api_gateway_rest_api.prices.id
}

resource "aws_api_gateway_stage" "prices" {
  rest_api_id   = aws_api_gateway_rest_api.prices.id
  deployment_id = aws_api_gateway_deployment.prices.id
  stage_name    = "prod"
}
