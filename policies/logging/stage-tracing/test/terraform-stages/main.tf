# prod traces, staging does not, a stage created by a deployment cannot, and a variable without a
# value leaves one unknown. The HTTP API's stage has no X-Ray tracing at all (not applicable).
variable "tracing" {
  type = bool
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = "legacy"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id          = aws_api_gateway_rest_api.orders.id
  deployment_id        = aws_api_gateway_deployment.orders.id
  stage_name           = "prod"
  xray_tracing_enabled = true
}

resource "aws_api_gateway_stage" "staging" {
  rest_api_id          = aws_api_gateway_rest_api.orders.id
  deployment_id        = aws_api_gateway_deployment.orders.id
  stage_name           = "staging"
  xray_tracing_enabled = false
}

resource "aws_api_gateway_stage" "qa" {
  rest_api_id          = aws_api_gateway_rest_api.orders.id
  deployment_id        = aws_api_gateway_deployment.orders.id
  stage_name           = "qa"
  xray_tracing_enabled = var.tracing
}

resource "aws_apigatewayv2_api" "search" {
  name          = "search"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "search" {
  api_id      = aws_apigatewayv2_api.search.id
  name        = "$default"
  auto_deploy = true
}
