# Method settings written for logging only: the provider sets both throttling values to -1 (disabled).
resource "aws_api_gateway_rest_api" "search" {
  name = "search"
}

resource "aws_api_gateway_method" "query" {
  rest_api_id   = aws_api_gateway_rest_api.search.id
  resource_id   = aws_api_gateway_rest_api.search.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_stage" "live" {
  rest_api_id   = aws_api_gateway_rest_api.search.id
  deployment_id = "abc123"
  stage_name    = "live"
}

resource "aws_api_gateway_method_settings" "logs" {
  rest_api_id = aws_api_gateway_rest_api.search.id
  stage_name  = aws_api_gateway_stage.live.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled = true
    logging_level   = "INFO"
  }
}
