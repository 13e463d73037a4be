# Exact origins, with credentials: this is how it should look.
resource "aws_apigatewayv2_api" "account" {
  name          = "account"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins     = ["https://app.example.com", "https://admin.example.com"]
    allow_methods     = ["GET", "POST"]
    allow_credentials = true
  }
}

resource "aws_api_gateway_rest_api" "shop" {
  name = "shop"
}

resource "aws_api_gateway_gateway_response" "default_4xx" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  response_type = "DEFAULT_4XX"

  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin" = "'https://app.example.com'"
  }
}
