terraform {
  required_providers {
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 6.0"
    }
  }
}

variable "project" {
  type    = string
  default = "shop-prod-4821"
}

variable "region" {
  type    = string
  default = "europe-west1"
}

provider "google-beta" {
  project = var.project
  region  = var.region
}

resource "google_service_account" "gateway" {
  provider     = google-beta
  account_id   = "shop-gateway"
  display_name = "API Gateway backend caller"
}

# The shop's delivery tracking API, for the mobile app and for partner carriers.
resource "google_api_gateway_api" "delivery" {
  provider     = google-beta
  api_id       = "delivery"
  display_name = "Delivery tracking"
}

resource "google_api_gateway_api_config" "delivery" {
  provider             = google-beta
  api                  = google_api_gateway_api.delivery.api_id
  api_config_id_prefix = "delivery-"

  openapi_documents {
    document {
      path     = "openapi.yaml"
      contents = filebase64("${path.module}/openapi.yaml")
    }
  }

  gateway_config {
    backend_config {
      google_service_account = google_service_account.gateway.email
    }
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "google_api_gateway_gateway" "delivery" {
  provider   = google-beta
  api_config = google_api_gateway_api_config.delivery.id
  gateway_id = "delivery-gw"
  region     = var.region
}
