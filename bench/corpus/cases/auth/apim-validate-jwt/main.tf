resource "azurerm_api_management" "this" {
  name                = "apim-hr"
  location            = "westeurope"
  resource_group_name = "rg-hr"
  publisher_name      = "HR"
  publisher_email     = "hr@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "people" {
  name                  = "people"
  resource_group_name   = "rg-hr"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "people"
  protocols             = ["https"]
  service_url           = "https://people.internal.example.com"
  subscription_required = false
}

resource "azurerm_api_management_api_operation" "list" {
  operation_id        = "list-people"
  api_name            = azurerm_api_management_api.people.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-hr"
  display_name        = "List people"
  method              = "GET"
  url_template        = "/"
}

resource "azurerm_api_management_api_policy" "people" {
  api_name            = azurerm_api_management_api.people.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-hr"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401">
      <openid-config url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" />
      <audiences>
        <audience>api://people</audience>
      </audiences>
    </validate-jwt>
  </inbound>
</policies>
XML
}
