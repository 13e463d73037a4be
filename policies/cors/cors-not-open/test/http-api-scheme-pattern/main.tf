# HTTP APIs whose routes are defined elsewhere: their CORS is checked on the API itself.
# "https://*" admits every https origin; with credentials, API Gateway answers with the caller's origin.
resource "aws_apigatewayv2_api" "wallet" {
  name          = "wallet"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins     = ["https://*"]
    allow_credentials = true
    allow_methods     = ["GET", "POST"]
  }
}

resource "aws_apigatewayv2_api" "status" {
  name          = "status"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins = ["http://*"]
    allow_methods = ["GET"]
  }
}

# A wildcard under the company's own domain admits only its sites: not open.
resource "aws_apigatewayv2_api" "portal" {
  name          = "portal"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins     = ["https://*.portal.example.com", "https://admin.example.com"]
    allow_credentials = true
    allow_methods     = ["GET", "PUT"]
  }
}
