resource "aws_api_gateway_rest_api" "billing" {
  name = "billing"
  disable_execute_api_endpoint = true
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.billing.id
  resource_id   = aws_api_gateway_rest_api.billing.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "get" {
  rest_api_id             = aws_api_gateway_rest_api.billing.id
  resource_id             = aws_api_gateway_rest_api.billing.root_resource_id
  http_method             = aws_api_gateway_method.get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:billing/invocations"
}

resource "aws_api_gateway_deployment" "billing" {
  rest_api_id = aws_api_gateway_rest_api.billing.id
  depends_on  = [aws_api_gateway_integration.get]
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.billing.id
  deployment_id = aws_api_gateway_deployment.billing.id
  stage_name    = "prod"
}

resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "billing.example.com"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0b9f1c2e-1111-2222-3333-444455556666"
  security_policy          = "TLS_1_2"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_base_path_mapping" "api" {
  api_id      = aws_api_gateway_rest_api.billing.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  domain_name = aws_api_gateway_domain_name.api.domain_name
}
