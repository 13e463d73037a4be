# A WebSocket API with one stage logging off and one logging errors; an HTTP API has no execution log.
resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_stage" "live" {
  api_id = aws_apigatewayv2_api.chat.id
  name   = "live"

  default_route_settings {
    logging_level          = "OFF"
    throttling_rate_limit  = 50
    throttling_burst_limit = 100
  }
}

resource "aws_apigatewayv2_stage" "canary" {
  api_id = aws_apigatewayv2_api.chat.id
  name   = "canary"

  default_route_settings {
    logging_level          = "ERROR"
    throttling_rate_limit  = 50
    throttling_burst_limit = 100
  }

  route_settings {
    route_key     = "sendmessage"
    logging_level = "INFO"
  }
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
