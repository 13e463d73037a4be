# The authorization type comes from a variable without a default: gatewarden cannot decide, and says so.
variable "authorization" {
  type = string
}

resource "aws_api_gateway_rest_api" "reports" {
  name = "reports"
}

resource "aws_api_gateway_method" "get_reports" {
  rest_api_id   = aws_api_gateway_rest_api.reports.id
  resource_id   = aws_api_gateway_rest_api.reports.root_resource_id
  http_method   = "GET"
  authorization = var.authorization
}
