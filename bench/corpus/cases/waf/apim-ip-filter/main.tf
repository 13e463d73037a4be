resource "azurerm_api_management" "this" {
  name                = "apim-signup"
  location            = "westeurope"
  resource_group_name = "rg-signup"
  publisher_name      = "Signup"
  publisher_email     = "signup@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "signup" {
  name                = "signup"
  resource_group_name = "rg-signup"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "signup"
  protocols           = ["https"]
  service_url         = "https://signup.internal.example.com"
}

resource "azurerm_api_management_api_operation" "post" {
  operation_id        = "signup"
  api_name            = azurerm_api_management_api.signup.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-signup"
  display_name        = "Sign up"
  method              = "POST"
  url_template        = "/"
}

resource "azurerm_api_management_api_policy" "signup" {
  api_name            = azurerm_api_management_api.signup.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-signup"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <ip-filter action="allow">
      <address-range from="203.0.113.0" to="203.0.113.255" />
    </ip-filter>
  </inbound>
</policies>
XML
}
