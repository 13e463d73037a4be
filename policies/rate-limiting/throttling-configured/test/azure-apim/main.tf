resource "azurerm_api_management" "this" {
  name                = "apim-search"
  location            = "northeurope"
  resource_group_name = "rg-search"
  publisher_name      = "Search"
  publisher_email     = "search@example.com"
  sku_name            = "Standard_1"
}

resource "azurerm_api_management_api" "search" {
  name                = "search"
  resource_group_name = "rg-search"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "search"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_operation" "query" {
  operation_id        = "query"
  api_name            = azurerm_api_management_api.search.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-search"
  display_name        = "Query"
  method              = "GET"
  url_template        = "/"
}

resource "azurerm_api_management_api_operation" "suggest" {
  operation_id        = "suggest"
  api_name            = azurerm_api_management_api.search.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-search"
  display_name        = "Suggest"
  method              = "GET"
  url_template        = "/suggest"
}

# Limits every caller's address to 50 calls per 10 seconds.
resource "azurerm_api_management_api_policy" "search" {
  api_name            = azurerm_api_management_api.search.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-search"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization">
      <openid-config url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" />
    </validate-jwt>
    <rate-limit-by-key calls="50" renewal-period="10" counter-key="@(context.Request.IpAddress)" />
  </inbound>
</policies>
XML
}

# Suggestions are cheap, so someone replaced the API policy here: the limit is gone with it.
resource "azurerm_api_management_api_operation_policy" "suggest" {
  api_name            = azurerm_api_management_api.search.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-search"
  operation_id        = azurerm_api_management_api_operation.suggest.operation_id
  xml_content         = <<XML
<policies>
  <inbound>
    <validate-jwt header-name="Authorization">
      <openid-config url="https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration" />
    </validate-jwt>
    <cache-lookup vary-by-developer="false" vary-by-developer-groups="false" />
  </inbound>
</policies>
XML
}
