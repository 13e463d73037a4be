# Four stages of one REST API: prod writes nothing, staging logs every call, beta turns logging off
# for one method, and audit writes access logs only.
resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}

resource "aws_api_gateway_stage" "staging" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "staging"
}

resource "aws_api_gateway_method_settings" "staging_all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.staging.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled = true
    logging_level   = "INFO"
  }
}

resource "aws_api_gateway_stage" "beta" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "beta"
}

resource "aws_api_gateway_method_settings" "beta_all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.beta.stage_name
  method_path = "*/*"

  settings {
    logging_level = "ERROR"
  }
}

# A noisy health check was silenced, and its calls with it.
resource "aws_api_gateway_method_settings" "beta_health" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.beta.stage_name
  method_path = "health/GET"

  settings {
    logging_level = "OFF"
  }
}

# A per-method setting for throttling only leaves the stage-wide level in force.
resource "aws_api_gateway_method_settings" "beta_orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.beta.stage_name
  method_path = "orders/POST"

  settings {
    throttling_rate_limit  = 10
    throttling_burst_limit = 5
  }
}

resource "aws_api_gateway_stage" "audit" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "audit"

  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:orders-audit"
    format          = "$context.requestId $context.identity.sourceIp $context.httpMethod $context.resourcePath $context.status"
  }
}
