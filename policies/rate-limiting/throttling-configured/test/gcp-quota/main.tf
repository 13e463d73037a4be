resource "google_endpoints_service" "catalog" {
  service_name   = "catalog.endpoints.example-project.cloud.goog"
  project        = "example-project"
  openapi_config = file("${path.module}/openapi.yaml")
}
