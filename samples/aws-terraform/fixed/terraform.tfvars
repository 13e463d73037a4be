environment = "prod"

storefront_cors_origins = ["https://app.example.com"]

orders_throttle = {
  rate_limit  = 50
  burst_limit = 100
}
