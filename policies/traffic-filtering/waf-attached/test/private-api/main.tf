# A PRIVATE API, reachable only through VPC endpoints, with no web ACL.
resource "aws_api_gateway_rest_api" "ledger" {
  name = "ledger"

  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_deployment" "ledger" {
  rest_api_id = aws_api_gateway_rest_api.ledger.id
}

resource "aws_api_gateway_stage" "internal" {
  rest_api_id   = aws_api_gateway_rest_api.ledger.id
  deployment_id = aws_api_gateway_deployment.ledger.id
  stage_name    = "internal"
}
