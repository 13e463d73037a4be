# Whether data trace is on is an input of the module without a default.
variable "trace_requests" {
  type = bool
}

resource "aws_api_gateway_rest_api" "ledger" {
  name = "ledger"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.ledger.id
  deployment_id = "d3pl0y"
  stage_name    = "prod"
}

resource "aws_api_gateway_method_settings" "prod_all" {
  rest_api_id = aws_api_gateway_rest_api.ledger.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level      = "ERROR"
    data_trace_enabled = var.trace_requests
  }
}
