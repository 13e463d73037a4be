# GCP API keys are created by Google (google_apikeys_key has no settable key string): a spec that
# requires a key has no key value in the configuration to leak.
resource "google_endpoints_service" "maps" {
  service_name   = "maps.endpoints.example-project.cloud.goog"
  openapi_config = <<YAML
swagger: "2.0"
info:
  title: Maps
  version: "1.0.0"
host: maps.endpoints.example-project.cloud.goog
securityDefinitions:
  api_key:
    type: apiKey
    name: key
    in: query
security:
  - api_key: []
paths:
  /tiles/{z}/{x}/{y}:
    get:
      operationId: getTile
      responses:
        "200":
          description: A tile.
YAML
}

resource "google_apikeys_key" "web" {
  name         = "maps-web"
  display_name = "Maps web client"
  restrictions {
    api_targets {
      service = "maps.endpoints.example-project.cloud.goog"
    }
  }
}
