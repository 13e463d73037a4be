resource "google_apikeys_key" "maps" {
  name         = "tickets-web"
  display_name = "Tickets web app"
  project      = "tickets-prod"
}
