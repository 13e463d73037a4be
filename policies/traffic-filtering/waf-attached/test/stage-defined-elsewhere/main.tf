# The stage "prod" is defined by another stack: only its method settings are here. Its web ACL
# association, if any, is written where the stage is, so whether it has one is unknown.
variable "rest_api_id" {
  type = string
}

resource "aws_api_gateway_method_settings" "prod" {
  rest_api_id = var.rest_api_id
  stage_name  = "prod"
  method_path = "*/*"

  settings {
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }
}
