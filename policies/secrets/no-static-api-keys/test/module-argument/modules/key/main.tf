variable "name" {
  type = string
}

variable "value" {
  type      = string
  sensitive = true
}

resource "aws_api_gateway_api_key" "this" {
  name  = var.name
  value = var.value
}
