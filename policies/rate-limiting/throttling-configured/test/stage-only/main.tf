# Stages of an API that another stack owns: each is checked for the throttling it sets itself.
variable "rest_api_id" {
  type = string
}

variable "deployment_id" {
  type = string
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = var.rest_api_id
  deployment_id = var.deployment_id
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "prod" {
  rest_api_id = var.rest_api_id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = 200
    throttling_burst_limit = 100
  }
}

resource "aws_api_gateway_stage" "qa" {
  rest_api_id   = var.rest_api_id
  deployment_id = var.deployment_id
  stage_name    = "qa"
}
