# A wildcard origin together with credentials: any site can act with the visitor's session.
# (API Gateway rejects "*" with credentials at deploy time in some cases; the intent is still wrong.)
variable "allowed_origins" {
  type    = list(string)
  default = ["https://app.example.com", "*"]
}

resource "aws_apigatewayv2_api" "account" {
  name          = "account"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins     = var.allowed_origins
    allow_methods     = ["GET", "POST"]
    allow_headers     = ["authorization", "content-type"]
    allow_credentials = true
  }
}
