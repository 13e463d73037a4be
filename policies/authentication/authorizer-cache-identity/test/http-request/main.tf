resource "aws_apigatewayv2_api" "shop" {
  name          = "shop"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "by_region" {
  api_id                            = aws_apigatewayv2_api.shop.id
  authorizer_type                   = "REQUEST"
  name                              = "by-region"
  authorizer_uri                    = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authz/invocations"
  authorizer_payload_format_version = "2.0"
  identity_sources                  = ["$request.querystring.region"]
  authorizer_result_ttl_in_seconds  = 600
}

resource "aws_apigatewayv2_authorizer" "by_cookie" {
  api_id                            = aws_apigatewayv2_api.shop.id
  authorizer_type                   = "REQUEST"
  name                              = "by-cookie"
  authorizer_uri                    = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authz/invocations"
  authorizer_payload_format_version = "2.0"
  identity_sources                  = ["$request.header.Cookie"]
  authorizer_result_ttl_in_seconds  = 600
}

resource "aws_apigatewayv2_api" "chat" {
  name                       = "chat"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

# WebSocket authorizers run once on $connect and cache nothing: not applicable.
resource "aws_apigatewayv2_authorizer" "connect" {
  api_id           = aws_apigatewayv2_api.chat.id
  authorizer_type  = "REQUEST"
  name             = "connect"
  authorizer_uri   = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:authz/invocations"
  identity_sources = ["route.request.querystring.room"]
}
