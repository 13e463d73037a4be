# Any web page may read this API's responses from a visitor's browser.
resource "aws_apigatewayv2_api" "public" {
  name          = "public-data"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins = ["*"]
    allow_methods = ["GET"]
  }
}
