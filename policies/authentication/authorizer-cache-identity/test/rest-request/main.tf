resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

# Keyed on the tenant path parameter's header only: cached for the default 300 seconds.
resource "aws_api_gateway_authorizer" "tenant" {
  name            = "tenant"
  rest_api_id     = aws_api_gateway_rest_api.orders.id
  type            = "REQUEST"
  authorizer_uri  = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authz/invocations"
  identity_source = "method.request.header.X-Tenant, context.sourceIp"
}

# The Authorization header is part of the key.
resource "aws_api_gateway_authorizer" "keyed" {
  name            = "keyed"
  rest_api_id     = aws_api_gateway_rest_api.orders.id
  type            = "REQUEST"
  authorizer_uri  = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authz/invocations"
  identity_source = "method.request.header.X-Tenant, method.request.header.Authorization"
}

# No caching.
resource "aws_api_gateway_authorizer" "uncached" {
  name                             = "uncached"
  rest_api_id                      = aws_api_gateway_rest_api.orders.id
  type                             = "REQUEST"
  authorizer_uri                   = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authz/invocations"
  identity_source                  = "method.request.querystring.region"
  authorizer_result_ttl_in_seconds = 0
}

# A TOKEN authorizer is keyed on its token.
resource "aws_api_gateway_authorizer" "token" {
  name           = "token"
  rest_api_id    = aws_api_gateway_rest_api.orders.id
  authorizer_uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authz/invocations"
}
