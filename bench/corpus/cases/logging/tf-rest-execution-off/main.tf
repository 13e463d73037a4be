resource "aws_api_gateway_rest_api" "claims" {
  name = "claims"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.claims.id
  resource_id   = aws_api_gateway_rest_api.claims.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "get" {
  rest_api_id             = aws_api_gateway_rest_api.claims.id
  resource_id             = aws_api_gateway_rest_api.claims.root_resource_id
  http_method             = aws_api_gateway_method.get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:claims/invocations"
}

resource "aws_api_gateway_deployment" "claims" {
  rest_api_id = aws_api_gateway_rest_api.claims.id
  depends_on  = [aws_api_gateway_integration.get]
}

resource "aws_cloudwatch_log_group" "access" {
  name = "/apigateway/claims/access"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.claims.id
  deployment_id = aws_api_gateway_deployment.claims.id
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.claims.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    logging_level   = "OFF"
    metrics_enabled = true
  }
}
