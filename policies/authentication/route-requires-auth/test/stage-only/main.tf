# Only a stage: authentication is written on each method, none of which is here. Nothing to check,
# and nothing left undecided.
variable "rest_api_id" {
  type = string
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = var.rest_api_id
  deployment_id = "d4e5f6"
  stage_name    = "prod"
}
