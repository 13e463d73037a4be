resource "azurerm_api_management" "this" {
  name                = "apim-orders"
  location            = "westeurope"
  resource_group_name = "rg-orders"
  publisher_name      = "Orders"
  publisher_email     = "orders@example.com"
  sku_name            = "Developer_1"
}

# The global policy validates bodies and parameters for every operation.
resource "azurerm_api_management_policy" "global" {
  api_management_id = azurerm_api_management.this.id
  xml_content       = <<XML
<policies>
  <inbound>
    <validate-content unspecified-content-type-action="prevent" max-size="102400" size-exceeded-action="prevent" />
    <validate-parameters specified-parameter-action="prevent" unspecified-parameter-action="prevent" />
  </inbound>
</policies>
XML
}

resource "azurerm_api_management_api" "orders" {
  name                = "orders"
  resource_group_name = "rg-orders"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "orders"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_operation" "create" {
  operation_id        = "create"
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-orders"
  display_name        = "Create"
  method              = "POST"
  url_template        = "/"
  request {
    query_parameter {
      name     = "dryRun"
      required = true
      type     = "boolean"
    }
  }
}
