# The key's value is written in the resource. (A fake value: never commit a real one.)
resource "aws_api_gateway_api_key" "partner" {
  name  = "partner-acme"
  value = "FAKEfakeFAKEfakeFAKEfakeFAKE0001"
}
