resource "azurerm_api_management" "this" {
  name                = "apim-profile"
  location            = "westeurope"
  resource_group_name = "rg-profile"
  publisher_name      = "Profile"
  publisher_email     = "profile@example.com"
  sku_name            = "Developer_1"
}

# The token travels in X-Token, which a request can carry into the cache, and the lookup ignores it.
resource "azurerm_api_management_policy" "global" {
  api_management_id = azurerm_api_management.this.id
  xml_content       = <<XML
<policies>
  <inbound>
    <validate-jwt header-name="X-Token" failed-validation-httpcode="401">
      <openid-config url="https://login.microsoftonline.com/profile.example/v2.0/.well-known/openid-configuration" />
    </validate-jwt>
    <cache-lookup vary-by-developer="false" vary-by-developer-groups="false" />
  </inbound>
  <outbound>
    <cache-store duration="60" />
  </outbound>
</policies>
XML
}

resource "azurerm_api_management_api" "profile" {
  name                  = "profile"
  resource_group_name   = "rg-profile"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "profile"
  protocols             = ["https"]
  subscription_required = false
}

resource "azurerm_api_management_api_operation" "me" {
  operation_id        = "me"
  api_name            = azurerm_api_management_api.profile.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-profile"
  display_name        = "Me"
  method              = "GET"
  url_template        = "/me"
}
