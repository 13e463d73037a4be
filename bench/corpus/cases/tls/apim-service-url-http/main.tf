resource "azurerm_api_management" "this" {
  name                = "apim-quotes"
  location            = "westeurope"
  resource_group_name = "rg-quotes"
  publisher_name      = "Quotes"
  publisher_email     = "quotes@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "quotes" {
  name                = "quotes"
  resource_group_name = "rg-quotes"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "quotes"
  protocols           = ["https"]
  service_url         = "http://quotes.partner.example.com"
}

resource "azurerm_api_management_api_operation" "get" {
  operation_id        = "get-quote"
  api_name            = azurerm_api_management_api.quotes.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-quotes"
  display_name        = "Get quote"
  method              = "GET"
  url_template        = "/"
}
