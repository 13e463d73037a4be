variable "name" {
  description = "Name of the HTTP API."
  type        = string
}

variable "description" {
  description = "Description of the HTTP API."
  type        = string
  default     = ""
}

variable "stage_name" {
  description = "Name of the stage; $default serves the API at the root of its URL."
  type        = string
  default     = "$default"
}

variable "cors_allow_origins" {
  description = "Origins allowed to call the API from a browser."
  type        = list(string)
}

variable "cors_allow_credentials" {
  description = "Whether browsers may send cookies and Authorization headers cross-origin."
  type        = bool
  default     = false
}

variable "cors_allow_methods" {
  description = "Methods allowed in CORS requests."
  type        = list(string)
  default     = ["GET", "POST", "PUT", "DELETE", "OPTIONS"]
}

variable "cors_allow_headers" {
  description = "Request headers allowed in CORS requests."
  type        = list(string)
  default     = ["authorization", "content-type"]
}

variable "jwt_issuer" {
  description = "Issuer URL of the JWT authorizer (e.g. a Cognito user pool)."
  type        = string
}

variable "jwt_audience" {
  description = "Accepted audiences (client ids) of the JWT authorizer."
  type        = list(string)
}

variable "routes" {
  description = "Routes keyed by route key (\"GET /items\"), each backed by a Lambda function."
  type = map(object({
    lambda_invoke_arn    = string
    lambda_function_name = string
    authorization_type   = string
    authorization_scopes = list(string)
  }))
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second for every route of the stage (null: no stage limit)."
  type        = number
  default     = null
}

variable "throttling_burst_limit" {
  description = "Burst limit for every route of the stage (null: no stage limit)."
  type        = number
  default     = null
}

variable "access_log_group_arn" {
  description = "ARN of the CloudWatch log group that receives the access logs."
  type        = string
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
