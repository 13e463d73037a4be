# The mobile app's key: one API, one app.
resource "google_apikeys_key" "android" {
  name         = "android"
  display_name = "Android app"
  project      = "acme-orders-prod"

  restrictions {
    api_targets {
      service = "orders-0a1b2c3d4e5f6.apigateway.acme-orders-prod.cloud.goog"
      methods = ["GET*"]
    }

    android_key_restrictions {
      allowed_applications {
        package_name     = "com.example.shop"
        sha1_fingerprint = "1699466a142d4682a5f91b50fdf400f2358e2b0b"
      }
    }
  }
}
