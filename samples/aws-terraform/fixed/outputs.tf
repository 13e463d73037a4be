output "orders_api_url" {
  description = "Invoke URL of the orders REST API stage."
  value       = aws_api_gateway_stage.orders.invoke_url
}

output "storefront_api_url" {
  description = "Invoke URL of the storefront HTTP API."
  value       = module.storefront_api.stage_invoke_url
}

output "cognito_user_pool_id" {
  description = "User pool the storefront signs customers in with."
  value       = aws_cognito_user_pool.customers.id
}
