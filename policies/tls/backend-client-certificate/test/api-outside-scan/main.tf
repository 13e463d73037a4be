# Routes and stages of APIs another stack owns, named by the same variable. sendmessage can only be
# a WebSocket route key: its stage is checked. GET /news is an HTTP API's: not applicable.
variable "chat_api_id" {
  type = string
}

variable "feeds_api_id" {
  type = string
}

resource "aws_apigatewayv2_integration" "messages" {
  api_id             = var.chat_api_id
  integration_type   = "HTTP_PROXY"
  integration_method = "POST"
  integration_uri    = "https://messages.example.com/chat"
}

resource "aws_apigatewayv2_route" "send" {
  api_id    = var.chat_api_id
  route_key = "sendmessage"
  target    = "integrations/${aws_apigatewayv2_integration.messages.id}"
}

resource "aws_apigatewayv2_stage" "chat" {
  api_id = var.chat_api_id
  name   = "live"
}

resource "aws_apigatewayv2_integration" "news" {
  api_id             = var.feeds_api_id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://news.example.com/latest"
}

resource "aws_apigatewayv2_route" "news" {
  api_id             = var.feeds_api_id
  route_key          = "GET /news"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.news.id}"
}

resource "aws_apigatewayv2_stage" "feeds" {
  api_id = var.feeds_api_id
  name   = "live"
}
