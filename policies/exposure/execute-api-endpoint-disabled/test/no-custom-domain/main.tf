# No custom domain: the execute-api endpoint is the API's only address.
resource "aws_api_gateway_rest_api" "internal_tools" {
  name = "internal-tools"
}
