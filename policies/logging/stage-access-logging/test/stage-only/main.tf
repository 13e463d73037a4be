# Stages of an API that another stack owns: each is still a stage, and its logging is checked here.
variable "rest_api_id" {
  type = string
}

variable "deployment_id" {
  type = string
}

resource "aws_api_gateway_stage" "qa" {
  rest_api_id   = var.rest_api_id
  deployment_id = var.deployment_id
  stage_name    = "qa"
}

# The "prod" stage is defined elsewhere: only its method settings are here, so its logging is unknown.
resource "aws_api_gateway_method_settings" "prod" {
  rest_api_id = var.rest_api_id
  stage_name  = "prod"
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }
}
