# allowCors lets preflights through to the backend: the backend decides the origins, not the
# gateway, so there is no gateway CORS configuration to report.
resource "google_endpoints_service" "widgets" {
  service_name   = "widgets.endpoints.example-project.cloud.goog"
  openapi_config = <<YAML
swagger: "2.0"
info:
  title: Widgets
  version: "1.0.0"
host: widgets.endpoints.example-project.cloud.goog
x-google-endpoints:
  - name: widgets.endpoints.example-project.cloud.goog
    allowCors: true
paths:
  /widgets:
    get:
      operationId: listWidgets
      responses:
        "200":
          description: Widgets.
YAML
}
