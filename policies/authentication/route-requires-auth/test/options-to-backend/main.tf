# An OPTIONS method proxied to a Lambda function is not a preflight: it reaches a backend.
resource "aws_api_gateway_rest_api" "files" {
  name = "files-api"
}

resource "aws_api_gateway_method" "root_options" {
  rest_api_id   = aws_api_gateway_rest_api.files.id
  resource_id   = aws_api_gateway_rest_api.files.root_resource_id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "root_options" {
  rest_api_id             = aws_api_gateway_rest_api.files.id
  resource_id             = aws_api_gateway_rest_api.files.root_resource_id
  http_method             = aws_api_gateway_method.root_options.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:files/invocations"
}
