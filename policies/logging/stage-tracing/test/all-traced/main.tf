# Every REST stage traces; the WebSocket API's stage has no X-Ray tracing (not applicable).
resource "aws_api_gateway_rest_api" "billing" {
  name = "billing"
}

resource "aws_api_gateway_deployment" "billing" {
  rest_api_id = aws_api_gateway_rest_api.billing.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id          = aws_api_gateway_rest_api.billing.id
  deployment_id        = aws_api_gateway_deployment.billing.id
  stage_name           = "prod"
  xray_tracing_enabled = true
}

resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_stage" "live" {
  api_id = aws_apigatewayv2_api.chat.id
  name   = "live"
}
