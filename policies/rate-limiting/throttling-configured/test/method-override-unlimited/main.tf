# The stage is throttled, but a per-method override turns throttling off (-1) for POST /uploads.
resource "aws_api_gateway_rest_api" "files" {
  name = "files"
}

resource "aws_api_gateway_resource" "uploads" {
  rest_api_id = aws_api_gateway_rest_api.files.id
  parent_id   = aws_api_gateway_rest_api.files.root_resource_id
  path_part   = "uploads"
}

resource "aws_api_gateway_method" "upload" {
  rest_api_id   = aws_api_gateway_rest_api.files.id
  resource_id   = aws_api_gateway_resource.uploads.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_method" "list" {
  rest_api_id   = aws_api_gateway_rest_api.files.id
  resource_id   = aws_api_gateway_resource.uploads.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.files.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.files.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = 200
    throttling_burst_limit = 100
  }
}

resource "aws_api_gateway_method_settings" "upload" {
  rest_api_id = aws_api_gateway_rest_api.files.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "${trimprefix(aws_api_gateway_resource.uploads.path, "/")}/${aws_api_gateway_method.upload.http_method}"

  settings {
    throttling_rate_limit  = -1
    throttling_burst_limit = -1
  }
}
