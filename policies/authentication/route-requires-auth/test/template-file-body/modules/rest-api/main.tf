variable "name" {
  type = string
}

variable "body" {
  description = "The OpenAPI document of the API, rendered."
  type        = string
}

variable "stage_name" {
  type = string
}

variable "import_body" {
  description = "Whether the API is defined by its OpenAPI body (false: by resources added elsewhere)."
  type        = bool
  default     = true
}

resource "aws_api_gateway_rest_api" "this" {
  name = var.name
  body = var.import_body ? var.body : null

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(var.body)
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "this" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = var.stage_name
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    throttling_rate_limit  = 50
    throttling_burst_limit = 100
  }
}
