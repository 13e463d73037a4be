# The value comes from a variable default: still written in the repository, reported at the default.
resource "aws_api_gateway_api_key" "mobile" {
  name  = "mobile-app"
  value = var.mobile_key
}
