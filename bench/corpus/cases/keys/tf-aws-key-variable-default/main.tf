resource "aws_api_gateway_rest_api" "prices" {
  name = "prices"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id      = aws_api_gateway_rest_api.prices.id
  resource_id      = aws_api_gateway_rest_api.prices.root_resource_id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = true
}

resource "aws_api_gateway_integration" "get" {
  rest_api_id = aws_api_gateway_rest_api.prices.id
  resource_id = aws_api_gateway_rest_api.prices.root_resource_id
  http_method = aws_api_gateway_method.get.http_method
  type        = "HTTP_PROXY"
  integration_http_method = "GET"
  uri         = "https://prices.example.com/"
}

resource "aws_api_gateway_deployment" "prices" {
  rest_api_id = aws_api_gateway_rest_api.prices.id
  depends_on  = [aws_api_gateway_integration.get]
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.prices.id
  deployment_id = aws_api_gateway_deployment.prices.id
  stage_name    = "prod"
}

resource "aws_api_gateway_usage_plan" "partners" {
  name = "partners"
  api_stages {
    api_id = aws_api_gateway_rest_api.prices.id
    stage  = aws_api_gateway_stage.prod.stage_name
  }
}

resource "aws_api_gateway_usage_plan_key" "partner" {
  key_id        = aws_api_gateway_api_key.partner.id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.partners.id
}

variable "partner_key" {
  type    = string
  default = "FAKEk3yW1thTw3ntyCharacters0002"
}

resource "aws_api_gateway_api_key" "partner" {
  name  = "partner"
  value = var.partner_key
}
