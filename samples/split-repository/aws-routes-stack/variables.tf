variable "aws_region" {
  type    = string
  default = "eu-west-1"
}

variable "api_id" {
  description = "Id of the shared HTTP API (output api_id of the platform's API module)"
  type        = string
}

variable "authorizer_id" {
  description = "Id of the shared API's JWT authorizer (output authorizer_id of the platform's API module)"
  type        = string
}
