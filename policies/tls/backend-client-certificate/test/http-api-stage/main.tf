# HTTP APIs have no client certificates: not applicable, even with a route that calls a public
# HTTP backend.
resource "aws_apigatewayv2_api" "feeds" {
  name          = "feeds"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "news" {
  api_id             = aws_apigatewayv2_api.feeds.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://news.example.com/latest"
}

resource "aws_apigatewayv2_route" "news" {
  api_id             = aws_apigatewayv2_api.feeds.id
  route_key          = "GET /news"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.news.id}"
}

resource "aws_apigatewayv2_stage" "live" {
  api_id      = aws_apigatewayv2_api.feeds.id
  name        = "live"
  auto_deploy = true
}
