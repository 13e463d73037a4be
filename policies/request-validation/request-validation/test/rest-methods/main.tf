resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_request_validator" "params_only" {
  name                        = "params-only"
  rest_api_id                 = aws_api_gateway_rest_api.orders.id
  validate_request_parameters = true
}

# A body method with no validator at all.
resource "aws_api_gateway_method" "create_order" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "create_order" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.create_order.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders/invocations"
}

# A PUT straight to DynamoDB whose validator checks parameters only: medium, at the validator id.
resource "aws_api_gateway_method" "put_order" {
  rest_api_id          = aws_api_gateway_rest_api.orders.id
  resource_id          = aws_api_gateway_resource.orders.id
  http_method          = "PUT"
  authorization        = "AWS_IAM"
  request_validator_id = aws_api_gateway_request_validator.params_only.id
  request_models = {
    "application/json" = "Order"
  }
}

resource "aws_api_gateway_integration" "put_order" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.put_order.http_method
  type                    = "AWS"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:us-east-1:dynamodb:action/PutItem"
}

# A GET with a required query parameter and no validator.
resource "aws_api_gateway_method" "search_orders" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "AWS_IAM"
  request_parameters = {
    "method.request.querystring.customer" = true
  }
}

resource "aws_api_gateway_integration" "search_orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.search_orders.http_method
  type        = "HTTP_PROXY"
  uri         = "https://orders.example.com/search"
  integration_http_method = "GET"
}

# A GET without declared input, and a DELETE whose only parameter is optional: nothing to validate.
resource "aws_api_gateway_method" "list_orders" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_rest_api.orders.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_method" "delete_orders" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "DELETE"
  authorization = "AWS_IAM"
  request_parameters = {
    "method.request.querystring.reason" = false
  }
}

# A mock POST reaches no backend: not applicable.
resource "aws_api_gateway_method" "echo" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_rest_api.orders.root_resource_id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "echo" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_rest_api.orders.root_resource_id
  http_method = aws_api_gateway_method.echo.http_method
  type        = "MOCK"
}

# HTTP APIs have no request validators: not applicable.
resource "aws_apigatewayv2_api" "public" {
  name          = "public"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "submit" {
  api_id    = aws_apigatewayv2_api.public.id
  route_key = "POST /submit"
}
