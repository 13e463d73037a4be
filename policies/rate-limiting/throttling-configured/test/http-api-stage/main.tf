# HTTP API: the stage default throttles every route, but route_settings lift it for POST /ingest.
resource "aws_apigatewayv2_api" "events" {
  name          = "events"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_route" "list" {
  api_id             = aws_apigatewayv2_api.events.id
  route_key          = "GET /events"
  authorization_type = "AWS_IAM"
}

resource "aws_apigatewayv2_route" "ingest" {
  api_id             = aws_apigatewayv2_api.events.id
  route_key          = "POST /ingest"
  authorization_type = "AWS_IAM"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.events.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_rate_limit  = 50
    throttling_burst_limit = 25
  }

  route_settings {
    route_key              = aws_apigatewayv2_route.ingest.route_key
    throttling_rate_limit  = -1
    throttling_burst_limit = -1
  }
}
