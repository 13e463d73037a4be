# A key made in a hurry for a demo: nothing limits what it calls or who uses it.
resource "google_apikeys_key" "demo" {
  name         = "demo-key"
  display_name = "Demo"
  project      = "acme-orders-prod"
}
