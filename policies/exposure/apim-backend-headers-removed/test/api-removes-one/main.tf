# The API removes X-Powered-By only, in its own outbound section.
resource "azurerm_api_management" "this" {
  name                = "apim-travel"
  location            = "westeurope"
  resource_group_name = "rg-travel"
  publisher_name      = "Travel"
  publisher_email     = "travel@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "bookings" {
  name                  = "bookings"
  resource_group_name   = "rg-travel"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "bookings"
  protocols             = ["https"]
  service_url           = "https://bookings.internal.example.com"
  subscription_required = true
}

resource "azurerm_api_management_api_policy" "bookings" {
  api_name            = azurerm_api_management_api.bookings.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-travel"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
    <set-header name="X-Powered-By" exists-action="delete" />
  </outbound>
  <on-error>
    <base />
  </on-error>
</policies>
XML
}
