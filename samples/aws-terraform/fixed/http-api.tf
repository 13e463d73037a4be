# Storefront backend-for-frontend: an HTTP API called by the browser app.
module "storefront_api" {
  source = "./modules/http-api"

  name        = "${local.name_prefix}-storefront"
  description = "Storefront BFF"

  cors_allow_origins     = var.storefront_cors_origins
  cors_allow_credentials = true

  jwt_issuer   = local.cognito_issuer
  jwt_audience = [aws_cognito_user_pool_client.storefront.id]

  routes = local.storefront_routes

  throttling_rate_limit  = 50
  throttling_burst_limit = 100

  access_log_group_arn = aws_cloudwatch_log_group.storefront_api_access.arn
  tags                 = local.common_tags
}
