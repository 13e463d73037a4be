resource "aws_api_gateway_rest_api" "claims" {
  name = "claims"
}

resource "aws_api_gateway_model" "claim" {
  rest_api_id  = aws_api_gateway_rest_api.claims.id
  name         = "Claim"
  content_type = "application/json"
  schema = jsonencode({
    type                 = "object"
    required             = ["policyId", "amount"]
    additionalProperties = false
    properties = {
      policyId = { type = "string", pattern = "^P[0-9]{8}$" }
      amount   = { type = "number", minimum = 0, maximum = 100000 }
    }
  })
}

resource "aws_api_gateway_request_validator" "v" {
  rest_api_id                 = aws_api_gateway_rest_api.claims.id
  name                        = "v"
  validate_request_body       = false
  validate_request_parameters = true
}
resource "aws_api_gateway_method" "submit" {
  rest_api_id   = aws_api_gateway_rest_api.claims.id
  resource_id   = aws_api_gateway_rest_api.claims.root_resource_id
  http_method   = "POST"
  authorization = "AWS_IAM"
  request_models = {
    "application/json" = aws_api_gateway_model.claim.name
  }
  request_validator_id = aws_api_gateway_request_validator.v.id
}

resource "aws_api_gateway_integration" "submit" {
  rest_api_id             = aws_api_gateway_rest_api.claims.id
  resource_id             = aws_api_gateway_rest_api.claims.root_resource_id
  http_method             = aws_api_gateway_method.submit.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:claims/invocations"
}
