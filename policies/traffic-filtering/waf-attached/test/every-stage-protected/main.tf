# Both stages are protected: one by a WAFv2 web ACL, one by a WAF Classic (regional) web ACL.
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

resource "aws_api_gateway_stage" "partner" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = aws_api_gateway_deployment.orders.id
  stage_name    = "partner"
}

resource "aws_wafv2_web_acl_association" "prod" {
  resource_arn = aws_api_gateway_stage.prod.arn
  web_acl_arn  = "arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/orders/a1b2c3d4"
}

resource "aws_wafregional_web_acl_association" "partner" {
  resource_arn = aws_api_gateway_stage.partner.arn
  web_acl_id   = "5f6a7b8c-1111-2222-3333-444455556666"
}
