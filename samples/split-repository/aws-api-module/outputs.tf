output "api_id" {
  description = "Pass it to the services' stacks as their api_id"
  value       = aws_apigatewayv2_api.this.id
}

output "authorizer_id" {
  value = aws_apigatewayv2_authorizer.jwt.id
}

output "execution_arn" {
  value = aws_apigatewayv2_api.this.execution_arn
}
