# An HTTP API: one route proxies to a partner over plain HTTP, one to a private ALB by listener ARN.
resource "aws_apigatewayv2_api" "partners" {
  name          = "partners"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "weather" {
  api_id             = aws_apigatewayv2_api.partners.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "http://weather.partner.example.net/{proxy}"
}

resource "aws_apigatewayv2_route" "weather" {
  api_id             = aws_apigatewayv2_api.partners.id
  route_key          = "GET /weather/{proxy+}"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.weather.id}"
}

resource "aws_apigatewayv2_integration" "stock" {
  api_id             = aws_apigatewayv2_api.partners.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  connection_type    = "VPC_LINK"
  connection_id      = "abcdef"
  integration_uri    = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/stock/50dc6c495c0c9188/0467ef3c8400ae65"
}

resource "aws_apigatewayv2_route" "stock" {
  api_id             = aws_apigatewayv2_api.partners.id
  route_key          = "ANY /stock"
  authorization_type = "AWS_IAM"
  target             = "integrations/${aws_apigatewayv2_integration.stock.id}"
}
