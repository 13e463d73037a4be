# A usage plan throttles the method that requires an API key; it does nothing for the one that does not.
resource "aws_api_gateway_rest_api" "partner" {
  name = "partner"
}

resource "aws_api_gateway_resource" "quotes" {
  rest_api_id = aws_api_gateway_rest_api.partner.id
  parent_id   = aws_api_gateway_rest_api.partner.root_resource_id
  path_part   = "quotes"
}

resource "aws_api_gateway_method" "quotes_keyed" {
  rest_api_id      = aws_api_gateway_rest_api.partner.id
  resource_id      = aws_api_gateway_resource.quotes.id
  http_method      = "GET"
  authorization    = "AWS_IAM"
  api_key_required = true
}

resource "aws_api_gateway_method" "quotes_open" {
  rest_api_id   = aws_api_gateway_rest_api.partner.id
  resource_id   = aws_api_gateway_resource.quotes.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_stage" "v1" {
  rest_api_id   = aws_api_gateway_rest_api.partner.id
  deployment_id = "abc123"
  stage_name    = "v1"
}

resource "aws_api_gateway_usage_plan" "partners" {
  name = "partners"

  api_stages {
    api_id = aws_api_gateway_rest_api.partner.id
    stage  = aws_api_gateway_stage.v1.stage_name
  }

  throttle_settings {
    rate_limit  = 20
    burst_limit = 10
  }

  quota_settings {
    limit  = 100000
    period = "MONTH"
  }
}
