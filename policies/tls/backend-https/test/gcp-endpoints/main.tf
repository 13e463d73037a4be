resource "google_endpoints_service" "tickets" {
  service_name   = "tickets.endpoints.example-project.cloud.goog"
  project        = "example-project"
  openapi_config = file("${path.module}/openapi.yaml")
}
