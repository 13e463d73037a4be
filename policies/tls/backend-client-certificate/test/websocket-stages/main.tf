# A WebSocket API whose sendmessage route calls a public HTTP backend: the prod stage presents a
# client certificate to it, the dev stage does not.
resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_integration" "connect" {
  api_id           = aws_apigatewayv2_api.chat.id
  integration_type = "AWS_PROXY"
  integration_uri  = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:111122223333:function:chat-connect/invocations"
}

resource "aws_apigatewayv2_route" "connect" {
  api_id             = aws_apigatewayv2_api.chat.id
  route_key          = "$connect"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.connect.id}"
}

resource "aws_apigatewayv2_integration" "messages" {
  api_id             = aws_apigatewayv2_api.chat.id
  integration_type   = "HTTP_PROXY"
  integration_method = "POST"
  integration_uri    = "https://messages.example.com/chat"
}

resource "aws_apigatewayv2_route" "send" {
  api_id    = aws_apigatewayv2_api.chat.id
  route_key = "sendmessage"
  target    = "integrations/${aws_apigatewayv2_integration.messages.id}"
}

resource "aws_api_gateway_client_certificate" "chat" {
  description = "chat backend"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id                = aws_apigatewayv2_api.chat.id
  name                  = "prod"
  client_certificate_id = aws_api_gateway_client_certificate.chat.id
}

resource "aws_apigatewayv2_stage" "dev" {
  api_id = aws_apigatewayv2_api.chat.id
  name   = "dev"
}

# Its routes call a Lambda function only: no HTTP backend to present a certificate to.
resource "aws_apigatewayv2_api" "presence" {
  name                       = "presence"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_route" "presence_connect" {
  api_id             = aws_apigatewayv2_api.presence.id
  route_key          = "$connect"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.connect.id}"
}

resource "aws_apigatewayv2_stage" "presence" {
  api_id = aws_apigatewayv2_api.presence.id
  name   = "live"
}
