resource "google_api_gateway_api" "inventory" {
  provider = google-beta
  api_id   = "inventory"
}

resource "google_api_gateway_api_config" "inventory" {
  provider      = google-beta
  api           = google_api_gateway_api.inventory.api_id
  api_config_id = "inventory-v3"

  openapi_documents {
    document {
      path     = "spec.yaml"
      contents = filebase64("${path.module}/spec.yaml")
    }
  }
}

resource "google_api_gateway_gateway" "inventory" {
  provider   = google-beta
  api_config = google_api_gateway_api_config.inventory.id
  gateway_id = "inventory-gw"
  region     = "europe-west1"
}
