# The API's service URL is plain HTTP; one operation overrides it with HTTPS (set-backend-service).
resource "azurerm_api_management" "this" {
  name                = "apim-stock"
  location            = "northeurope"
  resource_group_name = "rg-stock"
  publisher_name      = "Stock"
  publisher_email     = "stock@example.com"
  sku_name            = "Standard_1"
}

resource "azurerm_api_management_api" "stock" {
  name                = "stock"
  resource_group_name = "rg-stock"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "stock"
  protocols           = ["https"]
  service_url         = "http://stock.internal.example.com/v1"
}

resource "azurerm_api_management_api_operation" "level" {
  operation_id        = "level"
  api_name            = azurerm_api_management_api.stock.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-stock"
  display_name        = "Stock level"
  method              = "GET"
  url_template        = "/levels/{sku}"

  template_parameter {
    name     = "sku"
    type     = "string"
    required = true
  }
}

resource "azurerm_api_management_api_operation" "reserve" {
  operation_id        = "reserve"
  api_name            = azurerm_api_management_api.stock.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-stock"
  display_name        = "Reserve"
  method              = "POST"
  url_template        = "/reservations"
}

resource "azurerm_api_management_api_operation_policy" "reserve" {
  api_name            = azurerm_api_management_api.stock.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-stock"
  operation_id        = azurerm_api_management_api_operation.reserve.operation_id

  xml_content = <<XML
<policies>
  <inbound>
    <base />
    <set-backend-service base-url="https://reservations.example.com/v2" />
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
  <on-error><base /></on-error>
</policies>
XML
}
