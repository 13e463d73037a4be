environment = "prod"

# Opened up while the new storefront domain was being set up ("temporary").
storefront_cors_origins = ["*"]

orders_throttle = {
  rate_limit  = 50
  burst_limit = 100
}
