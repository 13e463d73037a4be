resource "google_api_gateway_api" "tickets" {
  provider = google-beta
  api_id   = "tickets"
}

resource "google_api_gateway_api_config" "tickets" {
  provider      = google-beta
  api           = google_api_gateway_api.tickets.api_id
  api_config_id = "tickets-v1"

  openapi_documents {
    document {
      path     = "spec.yaml"
      contents = filebase64("spec.yaml")
    }
  }
}
