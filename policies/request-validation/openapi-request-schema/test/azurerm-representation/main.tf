resource "azurerm_api_management" "this" {
  name                = "apim-orders"
  location            = "westeurope"
  resource_group_name = "rg-orders"
  publisher_name      = "Orders"
  publisher_email     = "orders@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "orders" {
  name                = "orders"
  resource_group_name = "rg-orders"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "orders"
  protocols           = ["https"]
}

# A representation without a schema: a finding.
resource "azurerm_api_management_api_operation" "create" {
  operation_id        = "create"
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-orders"
  display_name        = "Create"
  method              = "POST"
  url_template        = "/"
  request {
    representation {
      content_type = "application/json"
    }
  }
}

# With a schema: passes.
resource "azurerm_api_management_api_operation" "replace" {
  operation_id        = "replace"
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-orders"
  display_name        = "Replace"
  method              = "PUT"
  url_template        = "/{id}"
  template_parameter {
    name     = "id"
    required = true
    type     = "string"
  }
  request {
    representation {
      content_type = "application/json"
      schema_id    = "orders"
      type_name    = "Order"
    }
  }
}
