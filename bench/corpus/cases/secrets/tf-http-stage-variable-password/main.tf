resource "aws_apigatewayv2_api" "reports" {
  name          = "reports"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_stage" "prod" {
  api_id      = aws_apigatewayv2_api.reports.id
  name        = "prod"
  auto_deploy = true
  stage_variables = {
    dbUser     = "reports"
    dbPassword = "FAKEr3portsDbPassw0rd"
  }
}
