# Usable only from the shop's pages, but for any API enabled in the project.
resource "google_apikeys_key" "web" {
  name         = "web"
  display_name = "Web shop"
  project      = "acme-orders-prod"

  restrictions {
    browser_key_restrictions {
      allowed_referrers = ["https://shop.example.com/*"]
    }
  }
}
