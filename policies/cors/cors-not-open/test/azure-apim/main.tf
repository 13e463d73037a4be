resource "azurerm_api_management" "this" {
  name                = "apim-portal"
  location            = "westeurope"
  resource_group_name = "rg-portal"
  publisher_name      = "Portal"
  publisher_email     = "portal@example.com"
  sku_name            = "Developer_1"
}

# CORS for every API of the service: any site, with the visitor's cookies.
resource "azurerm_api_management_policy" "global" {
  api_management_id = azurerm_api_management.this.id
  xml_content       = <<XML
<policies>
  <inbound>
    <cors allow-credentials="true">
      <allowed-origins>
        <origin>*</origin>
      </allowed-origins>
      <allowed-methods preflight-result-max-age="300">
        <method>*</method>
      </allowed-methods>
      <allowed-headers>
        <header>*</header>
      </allowed-headers>
    </cors>
  </inbound>
</policies>
XML
}

resource "azurerm_api_management_api" "profile" {
  name                = "profile"
  resource_group_name = "rg-portal"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "profile"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_operation" "me" {
  operation_id        = "me"
  api_name            = azurerm_api_management_api.profile.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-portal"
  display_name        = "Me"
  method              = "GET"
  url_template        = "/me"
}

# The profile API replaces it with its own origin list (no <base/>).
resource "azurerm_api_management_api_policy" "profile" {
  api_name            = azurerm_api_management_api.profile.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-portal"
  xml_content         = <<XML
<policies>
  <inbound>
    <cors allow-credentials="true">
      <allowed-origins>
        <origin>https://portal.example.com</origin>
      </allowed-origins>
    </cors>
  </inbound>
</policies>
XML
}

resource "azurerm_api_management_api" "news" {
  name                = "news"
  resource_group_name = "rg-portal"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "news"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_operation" "latest" {
  operation_id        = "latest"
  api_name            = azurerm_api_management_api.news.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-portal"
  display_name        = "Latest news"
  method              = "GET"
  url_template        = "/latest"
}
