# The global outbound policy removes both headers for every API.
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

resource "azurerm_api_management_policy" "global" {
  api_management_id = azurerm_api_management.this.id
  xml_content       = <<XML
<policies>
  <inbound />
  <backend>
    <forward-request />
  </backend>
  <outbound>
    <set-header name="X-Powered-By" exists-action="delete" />
    <set-header name="X-AspNet-Version" exists-action="delete" />
  </outbound>
  <on-error />
</policies>
XML
}
