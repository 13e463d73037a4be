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

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.search.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    throttling_rate_limit  = -1
    throttling_burst_limit = -1
  }
}
