resource "azurerm_api_management" "this" {
  name                = "apim-reports"
  location            = "westeurope"
  resource_group_name = "rg-reports"
  publisher_name      = "Reports"
  publisher_email     = "reports@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "exports" {
  name                  = "exports"
  resource_group_name   = "rg-reports"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "exports"
  protocols             = ["https"]
  subscription_required = false
}

resource "azurerm_api_management_api_operation" "monthly" {
  operation_id        = "monthly"
  api_name            = azurerm_api_management_api.exports.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-reports"
  display_name        = "Monthly export"
  method              = "GET"
  url_template        = "/monthly"
}

resource "azurerm_api_management_api_operation" "audit" {
  operation_id        = "audit"
  api_name            = azurerm_api_management_api.exports.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-reports"
  display_name        = "Audit export"
  method              = "GET"
  url_template        = "/audit"
}

# HTTP basic authentication: one user name and password for every caller.
resource "azurerm_api_management_api_operation_policy" "monthly" {
  api_name            = azurerm_api_management_api.exports.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-reports"
  operation_id        = azurerm_api_management_api_operation.monthly.operation_id
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <check-header name="Authorization" failed-check-httpcode="401" failed-check-error-message="Not authorized" ignore-case="false">
      <value>Basic cmVwb3J0czpGQUtFcGFzc3dvcmQ=</value>
    </check-header>
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <base />
  </on-error>
</policies>
XML
}

# A static token compared by check-header: an API key, not basic authentication.
resource "azurerm_api_management_api_operation_policy" "audit" {
  api_name            = azurerm_api_management_api.exports.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-reports"
  operation_id        = azurerm_api_management_api_operation.audit.operation_id
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <check-header name="X-Audit-Key" failed-check-httpcode="401" failed-check-error-message="Not authorized" ignore-case="false">
      <value>{{audit-key}}</value>
    </check-header>
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <base />
  </on-error>
</policies>
XML
}
