# The value is in terraform.tfvars, committed with the code: reported in the tfvars file.
variable "keys" {
  type = map(string)
}

resource "aws_api_gateway_api_key" "clients" {
  for_each = var.keys
  name     = each.key
  value    = each.value
}
