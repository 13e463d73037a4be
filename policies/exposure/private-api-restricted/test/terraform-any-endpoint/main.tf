# A private API whose policy lets everyone invoke it: any VPC endpoint in any account gets in.
resource "aws_api_gateway_rest_api" "ledger" {
  name = "ledger"

  endpoint_configuration {
    types = ["PRIVATE"]
  }

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
    }]
  })
}

resource "aws_api_gateway_resource" "entries" {
  rest_api_id = aws_api_gateway_rest_api.ledger.id
  parent_id   = aws_api_gateway_rest_api.ledger.root_resource_id
  path_part   = "entries"
}

resource "aws_api_gateway_method" "list_entries" {
  rest_api_id   = aws_api_gateway_rest_api.ledger.id
  resource_id   = aws_api_gateway_resource.entries.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_method" "add_entry" {
  rest_api_id   = aws_api_gateway_rest_api.ledger.id
  resource_id   = aws_api_gateway_resource.entries.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_deployment" "ledger" {
  rest_api_id = aws_api_gateway_rest_api.ledger.id
  depends_on  = [aws_api_gateway_method.list_entries, aws_api_gateway_method.add_entry]
}

resource "aws_api_gateway_stage" "internal" {
  rest_api_id   = aws_api_gateway_rest_api.ledger.id
  deployment_id = aws_api_gateway_deployment.ledger.id
  stage_name    = "internal"
}
