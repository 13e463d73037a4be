resource "azurerm_api_management" "this" {
  name                = "apim-hr"
  location            = "westeurope"
  resource_group_name = "rg-hr"
  publisher_name      = "HR"
  publisher_email     = "hr@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "me" {
  name                  = "me"
  resource_group_name   = "rg-hr"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "me"
  protocols             = ["https"]
  service_url           = "https://people.internal.example.com/me"
  subscription_required = false
}

resource "azurerm_api_management_api_operation" "profile" {
  operation_id        = "profile"
  api_name            = azurerm_api_management_api.me.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-hr"
  display_name        = "My profile"
  method              = "GET"
  url_template        = "/profile"
}

resource "azurerm_api_management_api_policy" "me" {
  api_name            = azurerm_api_management_api.me.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-hr"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401">
      <openid-config url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" />
      <audiences>
        <audience>api://me</audience>
      </audiences>
    </validate-jwt>
    <cache-lookup vary-by-developer="false" vary-by-developer-groups="false" allow-private-response-caching="true">
    </cache-lookup>
  </inbound>
  <outbound>
    <base />
    <cache-store duration="300" />
  </outbound>
</policies>
XML
}
