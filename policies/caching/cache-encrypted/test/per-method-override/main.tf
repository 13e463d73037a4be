resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id           = aws_api_gateway_rest_api.orders.id
  deployment_id         = "abc123"
  stage_name            = "prod"
  cache_cluster_enabled = true
}

resource "aws_api_gateway_method_settings" "prod_all" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"
  settings {
    cache_data_encrypted = true
  }
}

# One method turns caching on without encrypting its cache.
resource "aws_api_gateway_method_settings" "prod_search" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "search/POST"
  settings {
    caching_enabled = true
  }
}

# A method that turns caching off stores nothing, encrypted or not.
resource "aws_api_gateway_method_settings" "prod_report" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "report/GET"
  settings {
    caching_enabled      = false
    cache_data_encrypted = false
  }
}
