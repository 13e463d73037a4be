# Keys written only in code: their creation time is not known until they exist, so their age is
# not judged (the policy does not apply).
resource "aws_api_gateway_api_key" "partner" {
  name    = "partner-key"
  enabled = true
}

resource "google_apikeys_key" "maps" {
  name         = "maps-key"
  display_name = "Maps (web)"
  project      = "shop-prod-4821"

  restrictions {
    api_targets {
      service = "maps-backend.googleapis.com"
    }
    browser_key_restrictions {
      allowed_referrers = ["https://shop.example.com/*"]
    }
  }
}
