variable "authorizer_ttl" {
  type = number
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_authorizer" "tenant" {
  name                             = "tenant"
  rest_api_id                      = aws_api_gateway_rest_api.orders.id
  type                             = "REQUEST"
  authorizer_uri                   = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authz/invocations"
  identity_source                  = "method.request.header.X-Tenant"
  authorizer_result_ttl_in_seconds = var.authorizer_ttl
}
