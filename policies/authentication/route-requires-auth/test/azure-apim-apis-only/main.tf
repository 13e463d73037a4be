# APIs on a service another team owns: its global policy, which runs first, is not in the scan.
data "azurerm_api_management" "platform" {
  name                = "platform-apim"
  resource_group_name = "rg-platform"
}

# No operation is written here (they are imported at deployment): the API is checked as one
# API-wide route.
resource "azurerm_api_management_api" "orders" {
  name                  = "orders"
  resource_group_name   = "rg-orders"
  api_management_name   = data.azurerm_api_management.platform.name
  revision              = "1"
  path                  = "orders"
  protocols             = ["https"]
  subscription_required = false
}

# The API's own token check decides, whatever the global policy holds.
resource "azurerm_api_management_api" "billing" {
  name                = "billing"
  resource_group_name = "rg-orders"
  api_management_name = data.azurerm_api_management.platform.name
  revision            = "1"
  path                = "billing"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_policy" "billing" {
  api_name            = azurerm_api_management_api.billing.name
  api_management_name = data.azurerm_api_management.platform.name
  resource_group_name = "rg-orders"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-azure-ad-token tenant-id="contoso.onmicrosoft.com">
      <client-application-ids>
        <application-id>00000000-0000-0000-0000-000000000002</application-id>
      </client-application-ids>
    </validate-azure-ad-token>
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
