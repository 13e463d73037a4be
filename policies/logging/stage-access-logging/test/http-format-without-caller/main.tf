# The HTTP API logs, but its format records neither the request id nor who called.
resource "aws_cloudwatch_log_group" "payments" {
  name = "/aws/apigateway/payments"
}

resource "aws_apigatewayv2_api" "payments" {
  name          = "payments"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.payments.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.payments.arn
    format = jsonencode({
      time     = "$context.requestTime"
      routeKey = "$context.routeKey"
      status   = "$context.status"
      latency  = "$context.responseLatency"
    })
  }
}

resource "aws_apigatewayv2_stage" "canary" {
  api_id = aws_apigatewayv2_api.payments.id
  name   = "canary"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.payments.arn
    format          = "$context.requestId $context.requestTime $context.routeKey $context.status"
  }
}
