# A Lambda authorizer exists, but the method does not use it: the route is still open.
resource "aws_api_gateway_rest_api" "billing" {
  name = "billing-api"
}

resource "aws_api_gateway_authorizer" "token" {
  name           = "token-authorizer"
  rest_api_id    = aws_api_gateway_rest_api.billing.id
  authorizer_uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:authz/invocations"
}

resource "aws_api_gateway_resource" "invoices" {
  rest_api_id = aws_api_gateway_rest_api.billing.id
  parent_id   = aws_api_gateway_rest_api.billing.root_resource_id
  path_part   = "invoices"
}

resource "aws_api_gateway_resource" "invoice" {
  rest_api_id = aws_api_gateway_rest_api.billing.id
  parent_id   = aws_api_gateway_resource.invoices.id
  path_part   = "{id}"
}

resource "aws_api_gateway_method" "get_invoice" {
  rest_api_id   = aws_api_gateway_rest_api.billing.id
  resource_id   = aws_api_gateway_resource.invoice.id
  http_method   = "GET"
  authorization = "NONE"
}
