# A method without authorization whose HTTP method is a variable without a value: whatever the
# method is, calls are not authenticated, and nothing shows it can only be an OPTIONS preflight.
variable "method" {
  type = string
}

resource "aws_api_gateway_rest_api" "files" {
  name = "files"
}

resource "aws_api_gateway_method" "upload" {
  rest_api_id   = aws_api_gateway_rest_api.files.id
  resource_id   = aws_api_gateway_rest_api.files.root_resource_id
  http_method   = var.method
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "upload" {
  rest_api_id = aws_api_gateway_rest_api.files.id
  resource_id = aws_api_gateway_rest_api.files.root_resource_id
  http_method = aws_api_gateway_method.upload.http_method
  type        = "MOCK"
}
