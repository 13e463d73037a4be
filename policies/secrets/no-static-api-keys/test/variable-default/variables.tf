variable "mobile_key" {
  description = "API key of the mobile app"
  type        = string
  sensitive   = true
  default     = "FAKEfakeFAKEfakeFAKEfakeFAKE0002"
}
