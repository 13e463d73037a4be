# The orders service's routes and stage on the shared HTTP API. The API, its CORS configuration and
# its authorizer are defined by the platform team (../aws-api-module/); their ids come in as variables.
data "aws_lambda_function" "orders" {
  function_name = "shop-orders"
}

resource "aws_apigatewayv2_integration" "orders" {
  api_id                 = var.api_id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = data.aws_lambda_function.orders.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "list_orders" {
  api_id             = var.api_id
  route_key          = "GET /orders"
  target             = "integrations/${aws_apigatewayv2_integration.orders.id}"
  authorization_type = "JWT"
  authorizer_id      = var.authorizer_id
}

resource "aws_apigatewayv2_route" "create_order" {
  api_id             = var.api_id
  route_key          = "POST /orders"
  target             = "integrations/${aws_apigatewayv2_integration.orders.id}"
  authorization_type = "JWT"
  authorizer_id      = var.authorizer_id
}

# Receipts are linked from confirmation e-mails, so the route was left open.
resource "aws_apigatewayv2_route" "order_receipt" {
  api_id    = var.api_id
  route_key = "GET /orders/{orderId}/receipt"
  target    = "integrations/${aws_apigatewayv2_integration.orders.id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = var.api_id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    detailed_metrics_enabled = true
    throttling_rate_limit    = 100
    throttling_burst_limit   = 50
  }

  # Receipt downloads come in bursts after each mailing: throttling was turned off for them.
  route_settings {
    route_key              = "GET /orders/{orderId}/receipt"
    throttling_rate_limit  = -1
    throttling_burst_limit = -1
  }

  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/orders-access"
    format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp", sub = "$context.authorizer.jwt.claims.sub", route = "$context.routeKey", status = "$context.status" })
  }
}
