resource "azurerm_api_management" "this" {
  name                = "apim-search"
  location            = "westeurope"
  resource_group_name = "rg-search"
  publisher_name      = "Search"
  publisher_email     = "search@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "search" {
  name                = "search"
  resource_group_name = "rg-search"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "search"
  protocols           = ["https"]
  service_url         = "https://search.internal.example.com"
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

resource "azurerm_api_management_api_policy" "search" {
  api_name            = azurerm_api_management_api.search.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-search"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <rate-limit-by-key calls="100" renewal-period="60" counter-key="@(context.Subscription.Id)" />
  </inbound>
</policies>
XML
}
