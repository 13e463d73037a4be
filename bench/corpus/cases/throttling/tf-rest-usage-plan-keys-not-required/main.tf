resource "aws_api_gateway_rest_api" "search" {
  name = "search"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id      = aws_api_gateway_rest_api.search.id
  resource_id      = aws_api_gateway_rest_api.search.root_resource_id
  http_method      = "GET"
  authorization    = "AWS_IAM"
  api_key_required = false
}

resource "aws_api_gateway_integration" "get" {
  rest_api_id             = aws_api_gateway_rest_api.search.id
  resource_id             = aws_api_gateway_rest_api.search.root_resource_id
  http_method             = aws_api_gateway_method.get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:search/invocations"
}

resource "aws_api_gateway_deployment" "search" {
  rest_api_id = aws_api_gateway_rest_api.search.id
  depends_on  = [aws_api_gateway_integration.get]
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.search.id
  deployment_id = aws_api_gateway_deployment.search.id
  stage_name    = "prod"
}

resource "aws_api_gateway_usage_plan" "clients" {
  name = "clients"
  api_stages {
    api_id = aws_api_gateway_rest_api.search.id
    stage  = aws_api_gateway_stage.prod.stage_name
  }
  throttle_settings {
    rate_limit  = 50
    burst_limit = 100
  }
}

resource "aws_api_gateway_api_key" "client" {
  name = "client"
}

resource "aws_api_gateway_usage_plan_key" "client" {
  key_id        = aws_api_gateway_api_key.client.id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.clients.id
}
