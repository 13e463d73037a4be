# A Developer service whose gateway hostname does not negotiate client certificates, with an
# operation whose expression rejects a bad certificate only when one is present: it never is.
resource "azurerm_api_management" "this" {
  name                = "apim-devices"
  location            = "westeurope"
  resource_group_name = "rg-devices"
  publisher_name      = "Devices"
  publisher_email     = "devices@example.com"
  sku_name            = "Developer_1"

  hostname_configuration {
    proxy {
      host_name                    = "api.devices.example.com"
      key_vault_id                 = "https://kv-devices.vault.azure.net/secrets/api-devices"
      negotiate_client_certificate = false
    }
  }
}

resource "azurerm_api_management_api" "devices" {
  name                = "devices"
  resource_group_name = "rg-devices"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "devices"
  protocols           = ["https"]
  service_url         = "https://devices.example.com/api"
}

resource "azurerm_api_management_api_operation" "telemetry" {
  operation_id        = "telemetry"
  api_name            = azurerm_api_management_api.devices.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-devices"
  display_name        = "Send telemetry"
  method              = "POST"
  url_template        = "/telemetry"
}

resource "azurerm_api_management_api_operation_policy" "telemetry" {
  api_name            = azurerm_api_management_api.devices.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-devices"
  operation_id        = azurerm_api_management_api_operation.telemetry.operation_id

  xml_content = <<XML
<policies>
  <inbound>
    <base />
    <choose>
      <when condition="@(context.Request.Certificate != null &amp;&amp; !context.Request.Certificate.Verify())">
        <return-response>
          <set-status code="403" reason="Invalid client certificate" />
        </return-response>
      </when>
    </choose>
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
XML
}
