# Orders service: a REST API used by the storefront (browser) and by partner integrations.

resource "aws_api_gateway_rest_api" "orders" {
  name           = "${local.name_prefix}-orders"
  description    = "Orders service"
  api_key_source = "HEADER"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "orders"
}

resource "aws_api_gateway_resource" "order" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_resource.orders.id
  path_part   = "{orderId}"
}

# GET /health: the load balancer's probe. It cannot authenticate and returns no data, so the team
# accepted the finding, with a date to look at it again.
resource "aws_api_gateway_resource" "health" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "health"
}

# gatewarden:ignore route-requires-auth until=2027-06-30 -- load balancer health probe; it returns no data
resource "aws_api_gateway_method" "health" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.health.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "health" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.health.id
  http_method = aws_api_gateway_method.health.http_method
  type        = "MOCK"

  request_templates = {
    "application/json" = jsonencode({ statusCode = 200 })
  }
}

resource "aws_api_gateway_authorizer" "cognito" {
  name            = "cognito-customers"
  rest_api_id     = aws_api_gateway_rest_api.orders.id
  type            = "COGNITO_USER_POOLS"
  provider_arns   = [aws_cognito_user_pool.customers.arn]
  identity_source = "method.request.header.Authorization"
}

# GET /orders: list the caller's orders.
resource "aws_api_gateway_method" "list_orders" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "GET"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.cognito.id
}

resource "aws_api_gateway_integration" "list_orders" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.list_orders.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.this["list-orders"].invoke_arn
}

# POST /orders: partner integrations authenticate with an OAuth access token (client credentials)
# carrying the orders/write scope; their API key only meters usage against the usage plan.
resource "aws_api_gateway_method" "create_order" {
  rest_api_id          = aws_api_gateway_rest_api.orders.id
  resource_id          = aws_api_gateway_resource.orders.id
  http_method          = "POST"
  authorization        = "COGNITO_USER_POOLS"
  authorizer_id        = aws_api_gateway_authorizer.cognito.id
  authorization_scopes = aws_cognito_resource_server.orders.scope_identifiers
  api_key_required     = true
  request_validator_id = aws_api_gateway_request_validator.all.id
  request_models = {
    "application/json" = aws_api_gateway_model.new_order.name
  }
}

resource "aws_api_gateway_integration" "create_order" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = aws_api_gateway_method.create_order.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.this["create-order"].invoke_arn
}

# GET /orders/{orderId}: one order.
resource "aws_api_gateway_method" "get_order" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.order.id
  http_method   = "GET"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.cognito.id

  request_validator_id = aws_api_gateway_request_validator.all.id
  request_parameters = {
    "method.request.path.orderId" = true
  }
}

resource "aws_api_gateway_integration" "get_order" {
  rest_api_id             = aws_api_gateway_rest_api.orders.id
  resource_id             = aws_api_gateway_resource.order.id
  http_method             = aws_api_gateway_method.get_order.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.this["get-order"].invoke_arn
}

# OPTIONS /orders: CORS preflight answered by API Gateway itself (MOCK), as the console's
# "Enable CORS" generates it.
resource "aws_api_gateway_method" "orders_options" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  resource_id   = aws_api_gateway_resource.orders.id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "orders_options" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.orders_options.http_method
  type        = "MOCK"

  request_templates = {
    "application/json" = jsonencode({ statusCode = 200 })
  }
}

resource "aws_api_gateway_method_response" "orders_options_200" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.orders_options.http_method
  status_code = "200"

  response_parameters = {
    "method.response.header.Access-Control-Allow-Headers" = true
    "method.response.header.Access-Control-Allow-Methods" = true
    "method.response.header.Access-Control-Allow-Origin"  = true
  }

  response_models = {
    "application/json" = "Empty"
  }
}

resource "aws_api_gateway_integration_response" "orders_options_200" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  resource_id = aws_api_gateway_resource.orders.id
  http_method = aws_api_gateway_method.orders_options.http_method
  status_code = aws_api_gateway_method_response.orders_options_200.status_code

  response_parameters = {
    "method.response.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Api-Key'"
    "method.response.header.Access-Control-Allow-Methods" = "'GET,POST,OPTIONS'"
    "method.response.header.Access-Control-Allow-Origin"  = "'${local.storefront_origin}'"
  }

  depends_on = [aws_api_gateway_integration.orders_options]
}

# Error responses generated by API Gateway (401, 403, 429, 5XX) carry CORS headers too, so that
# the browser can read them.
resource "aws_api_gateway_gateway_response" "cors" {
  for_each = toset(["DEFAULT_4XX", "DEFAULT_5XX"])

  rest_api_id   = aws_api_gateway_rest_api.orders.id
  response_type = each.key

  response_parameters = {
    "gatewayresponse.header.Access-Control-Allow-Origin"  = "'${local.storefront_origin}'"
    "gatewayresponse.header.Access-Control-Allow-Headers" = "'Content-Type,Authorization,X-Api-Key'"
  }
}

resource "aws_lambda_permission" "orders_api" {
  for_each = toset(["list-orders", "create-order", "get-order"])

  statement_id  = "AllowOrdersApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.orders.execution_arn}/*/*"
}

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_resource.orders,
      aws_api_gateway_resource.order,
      aws_api_gateway_resource.health,
      aws_api_gateway_method.health,
      aws_api_gateway_integration.health,
      aws_api_gateway_method.list_orders,
      aws_api_gateway_method.create_order,
      aws_api_gateway_method.get_order,
      aws_api_gateway_method.orders_options,
      aws_api_gateway_integration.list_orders,
      aws_api_gateway_integration.create_order,
      aws_api_gateway_integration.get_order,
      aws_api_gateway_integration.orders_options,
      aws_api_gateway_integration_response.orders_options_200,
      aws_api_gateway_gateway_response.cors,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "orders" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = var.environment

  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.orders_api_access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      method    = "$context.httpMethod"
      path      = "$context.resourcePath"
      status    = "$context.status"
      latency   = "$context.responseLatency"
    })
  }

  depends_on = [aws_api_gateway_account.this]
}

# Stage-wide defaults for every method.
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.orders.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = "ERROR"
    throttling_rate_limit  = var.orders_throttle.rate_limit
    throttling_burst_limit = var.orders_throttle.burst_limit
  }
}

# More detailed logs for the order lookup, to debug a support ticket.
resource "aws_api_gateway_method_settings" "get_order" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.orders.stage_name
  method_path = "${trimprefix(aws_api_gateway_resource.order.path, "/")}/GET"

  settings {
    metrics_enabled        = true
    logging_level          = "INFO"
    throttling_rate_limit  = 20
    throttling_burst_limit = 40
  }
}

# Partner access: usage plan, key and quota.
resource "aws_api_gateway_usage_plan" "partners" {
  name        = "${local.name_prefix}-partners"
  description = "Order intake by partner integrations"

  api_stages {
    api_id = aws_api_gateway_rest_api.orders.id
    stage  = aws_api_gateway_stage.orders.stage_name
  }

  quota_settings {
    limit  = 10000
    period = "DAY"
  }

  throttle_settings {
    rate_limit  = 20
    burst_limit = 40
  }
}

# No value: API Gateway generates the key. Hand it over out of band
# (aws apigateway get-api-key --api-key <id> --include-value).
resource "aws_api_gateway_api_key" "partner_acme" {
  name        = "${local.name_prefix}-partner-acme"
  description = "Key handed to ACME Corp for their order integration"
}

resource "aws_api_gateway_usage_plan_key" "partner_acme" {
  key_id        = aws_api_gateway_api_key.partner_acme.id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.partners.id
}

# Malformed orders are refused at the gateway (400) before they cost a Lambda invocation.
resource "aws_api_gateway_request_validator" "all" {
  name                        = "body-and-parameters"
  rest_api_id                 = aws_api_gateway_rest_api.orders.id
  validate_request_body       = true
  validate_request_parameters = true
}

resource "aws_api_gateway_model" "new_order" {
  rest_api_id  = aws_api_gateway_rest_api.orders.id
  name         = "NewOrder"
  content_type = "application/json"
  schema = jsonencode({
    type                 = "object"
    required             = ["sku", "quantity"]
    additionalProperties = false
    properties = {
      sku      = { type = "string", maxLength = 64 }
      quantity = { type = "integer", minimum = 1, maximum = 100 }
    }
  })
}
