# Every backend over HTTPS: an HTTP API proxy and a WebSocket API's HTTP integration.
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

resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_integration" "send" {
  api_id             = aws_apigatewayv2_api.chat.id
  integration_type   = "HTTP"
  integration_method = "POST"
  integration_uri    = "https://chat.example.com/messages"
}

resource "aws_apigatewayv2_route" "send" {
  api_id    = aws_apigatewayv2_api.chat.id
  route_key = "send"
  target    = "integrations/${aws_apigatewayv2_integration.send.id}"
}
