locals {
  name_prefix = "${var.project}-${var.environment}"

  common_tags = {
    Project     = var.project
    Environment = var.environment
    ManagedBy   = "terraform"
  }

  # Lambda functions behind both APIs, keyed by a short name.
  functions = {
    "list-orders"  = { handler = "orders.list", memory = 256 }
    "create-order" = { handler = "orders.create", memory = 256 }
    "get-order"    = { handler = "orders.get", memory = 256 }
    "catalog"      = { handler = "catalog.search", memory = 512 }
    "profile"      = { handler = "profile.handle", memory = 256 }
  }

  cognito_issuer = "https://cognito-idp.${var.aws_region}.amazonaws.com/${aws_cognito_user_pool.customers.id}"

  # The one origin the REST API's static CORS headers return.
  storefront_origin = var.storefront_cors_origins[0]

  # Routes of the storefront HTTP API, one integration per route.
  storefront_routes = {
    "GET /catalog" = {
      lambda_invoke_arn    = aws_lambda_function.this["catalog"].invoke_arn
      lambda_function_name = aws_lambda_function.this["catalog"].function_name
      authorization_type   = "JWT"
      authorization_scopes = []
    }
    "GET /me" = {
      lambda_invoke_arn    = aws_lambda_function.this["profile"].invoke_arn
      lambda_function_name = aws_lambda_function.this["profile"].function_name
      authorization_type   = "JWT"
      authorization_scopes = []
    }
    "PUT /me/preferences" = {
      lambda_invoke_arn    = aws_lambda_function.this["profile"].invoke_arn
      lambda_function_name = aws_lambda_function.this["profile"].function_name
      authorization_type   = "JWT"
      authorization_scopes = []
    }
  }
}
