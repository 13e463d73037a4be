# Origins come from a variable without a default: unknown until someone passes them.
variable "origins" {
  type = list(string)
}

resource "aws_apigatewayv2_api" "tenant" {
  name          = "tenant"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins = var.origins
  }
}
