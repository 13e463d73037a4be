# Only the company's VPC endpoint may call the private API; a private API without any policy
# cannot be called at all.
resource "aws_api_gateway_rest_api" "ledger" {
  name = "ledger"

  endpoint_configuration {
    types            = ["PRIVATE"]
    vpc_endpoint_ids = ["vpce-0a1b2c3d4e5f67890"]
  }

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "execute-api:Invoke"
      Resource  = "execute-api:/*"
      Condition = {
        StringEquals = { "aws:SourceVpce" = "vpce-0a1b2c3d4e5f67890" }
      }
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

resource "aws_api_gateway_deployment" "ledger" {
  rest_api_id = aws_api_gateway_rest_api.ledger.id
  depends_on  = [aws_api_gateway_method.list_entries]
}

resource "aws_api_gateway_stage" "internal" {
  rest_api_id   = aws_api_gateway_rest_api.ledger.id
  deployment_id = aws_api_gateway_deployment.ledger.id
  stage_name    = "internal"
}

resource "aws_api_gateway_rest_api" "unused" {
  name = "unused"

  endpoint_configuration {
    types = ["PRIVATE"]
  }
}

resource "aws_api_gateway_resource" "status" {
  rest_api_id = aws_api_gateway_rest_api.unused.id
  parent_id   = aws_api_gateway_rest_api.unused.root_resource_id
  path_part   = "status"
}

resource "aws_api_gateway_method" "status" {
  rest_api_id   = aws_api_gateway_rest_api.unused.id
  resource_id   = aws_api_gateway_resource.status.id
  http_method   = "GET"
  authorization = "AWS_IAM"
}
