resource "google_apikeys_key" "maps" {
  name         = "tickets-web"
  display_name = "Tickets web app"
  project      = "tickets-prod"

  restrictions {
    api_targets {
      service = "tickets-abc123.apigateway.tickets-prod.cloud.goog"
    }
  }
}
