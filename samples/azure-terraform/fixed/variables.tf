variable "project" {
  type    = string
  default = "shop"
}

variable "environment" {
  type    = string
  default = "prod"
}

variable "location" {
  type    = string
  default = "westeurope"
}

variable "tenant_id" {
  type        = string
  description = "The Entra ID tenant that issues the shop's tokens."
  default     = "00000000-0000-0000-0000-000000000000"
}
