resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_method" "get_items" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "get_items" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.items.id
  http_method             = aws_api_gateway_method.get_items.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://partner.example.com/items"
  request_parameters = {
    "integration.request.header.Authorization" = "'Bearer FAKEbearerToken00001abc'"
    "integration.request.header.X-Tenant"      = "'acme'"
    "integration.request.header.X-Caller"      = "method.request.header.X-Caller"
  }
}

resource "aws_apigatewayv2_api" "shop" {
  name          = "shop"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "partner" {
  api_id             = aws_apigatewayv2_api.shop.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "https://partner.example.com"
  request_parameters = {
    "overwrite:header.x-api-key"  = "FAKEhttpIntegrationKey01"
    "append:header.Authorization" = "$stageVariables.partnerToken"
  }
}
