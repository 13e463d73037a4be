# An HTTP API imported from OpenAPI 3: a route takes one authorizer, and the import reads it from
# whichever requirement object names it. HTTP APIs have no API keys: an apiKey scheme beside the
# authorizer changes nothing.
resource "aws_lambda_function" "notes" {
  function_name = "notes"
  role          = "arn:aws:iam::123456789012:role/notes"
  handler       = "main.handler"
  runtime       = "python3.12"
  filename      = "notes.zip"
}

resource "aws_apigatewayv2_api" "notes" {
  name          = "notes"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "notes", version = "1" }
    components = {
      securitySchemes = {
        okta = {
          type = "oauth2"
          flows = {}
          "x-amazon-apigateway-authorizer" = {
            type           = "jwt"
            identitySource = "$request.header.Authorization"
            jwtConfiguration = {
              issuer   = "https://example.okta.com/oauth2/default"
              audience = ["api://notes"]
            }
          }
        }
        legacy_key = { type = "apiKey", name = "x-api-key", in = "header" }
      }
    }
    paths = {
      "/notes" = {
        get = {
          security = [{ okta = ["notes.read"] }, { legacy_key = [] }]
          "x-amazon-apigateway-integration" = { type = "aws_proxy", httpMethod = "POST", uri = aws_lambda_function.notes.invoke_arn, payloadFormatVersion = "2.0" }
        }
      }
      "/notes/shared/{token}" = {
        get = {
          security = [{}]
          "x-amazon-apigateway-integration" = { type = "aws_proxy", httpMethod = "POST", uri = aws_lambda_function.notes.invoke_arn, payloadFormatVersion = "2.0" }
        }
      }
    }
  })
}
