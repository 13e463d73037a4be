# The log format is an input of the module without a default: what it records is not known here.
variable "access_log_format" {
  type = string
}

variable "log_group_arn" {
  type = string
}

resource "aws_apigatewayv2_api" "events" {
  name          = "events"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.events.id
  name   = "prod"

  access_log_settings {
    destination_arn = var.log_group_arn
    format          = var.access_log_format
  }
}
