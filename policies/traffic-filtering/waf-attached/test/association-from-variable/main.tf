# The web ACL is associated with an ARN passed in from outside: it may be this stage's.
variable "protected_stage_arn" {
  type = string
}

resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_deployment" "orders" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "prod"
}

resource "aws_wafv2_web_acl_association" "api" {
  resource_arn = var.protected_stage_arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/orders/a1b2c3d4"
}
