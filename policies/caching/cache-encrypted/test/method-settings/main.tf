resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.orders.id
  deployment_id         = "abc123"
  stage_name            = "prod"
  cache_cluster_enabled = true
  cache_cluster_size    = "0.5"
}

resource "aws_api_gateway_method_settings" "prod_all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    caching_enabled      = true
    cache_data_encrypted = false
  }
}

# No cache cluster: the setting caches nothing, so nothing is stored in clear (not applicable).
resource "aws_api_gateway_stage" "staging" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = "abc123"
  stage_name    = "staging"
}

resource "aws_api_gateway_method_settings" "staging_all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.staging.stage_name
  method_path = "*/*"
  settings {
    caching_enabled = true
  }
}

# Cache on and no setting at all: GET methods are cached, unencrypted by default.
resource "aws_api_gateway_stage" "beta" {
  rest_api_id           = aws_api_gateway_rest_api.orders.id
  deployment_id         = "abc123"
  stage_name            = "beta"
  cache_cluster_enabled = true
}
