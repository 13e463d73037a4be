variable "aws_region" {
  description = "AWS region the APIs are deployed to."
  type        = string
  default     = "eu-west-1"
}

variable "project" {
  description = "Short project name, used as a prefix for every resource name."
  type        = string
  default     = "shop"
}

variable "environment" {
  description = "Deployment environment; also the name of the REST API stage."
  type        = string
  default     = "dev"
}

variable "storefront_cors_origins" {
  description = "Origins the browser storefront is served from."
  type        = list(string)
  default     = ["https://app.example.com"]
}

variable "orders_throttle" {
  description = "Stage-wide throttling of the orders REST API (requests per second and burst)."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default = {
    rate_limit  = 100
    burst_limit = 200
  }
}

variable "log_retention_days" {
  description = "Retention of the API access logs."
  type        = number
  default     = 30
}
