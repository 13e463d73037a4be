# HTTP APIs have no client certificates: not applicable.
resource "aws_apigatewayv2_api" "feeds" {
  name          = "feeds"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "live" {
  api_id      = aws_apigatewayv2_api.feeds.id
  name        = "live"
  auto_deploy = true
}
