# prod is throttled, dev is not: the route is reachable without limits through dev.
resource "aws_api_gateway_rest_api" "inventory" {
  name = "inventory"
}

resource "aws_api_gateway_method" "stock" {
  rest_api_id   = aws_api_gateway_rest_api.inventory.id
  resource_id   = aws_api_gateway_rest_api.inventory.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_stage" "stages" {
  for_each      = toset(["dev", "prod"])
  rest_api_id   = aws_api_gateway_rest_api.inventory.id
  deployment_id = "abc123"
  stage_name    = each.key
}

resource "aws_api_gateway_method_settings" "prod" {
  rest_api_id = aws_api_gateway_rest_api.inventory.id
  stage_name  = aws_api_gateway_stage.stages["prod"].stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = 100
    throttling_burst_limit = 40
  }
}
