# Restricted to the orders API, but usable from any site, server or app.
resource "google_apikeys_key" "partners" {
  name         = "partners"
  display_name = "Partner integrations"
  project      = "acme-orders-prod"

  restrictions {
    api_targets {
      service = "orders-0a1b2c3d4e5f6.apigateway.acme-orders-prod.cloud.goog"
    }
  }
}
