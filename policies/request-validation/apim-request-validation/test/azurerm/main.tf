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

# POST with no validation anywhere in its chain: a finding.
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
      schema_id    = "order"
      type_name    = "Order"
    }
  }
}

# GET with a required query parameter and no validate-parameters: a finding.
resource "azurerm_api_management_api_operation" "search" {
  operation_id        = "search"
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-orders"
  display_name        = "Search"
  method              = "GET"
  url_template        = "/search"
  request {
    query_parameter {
      name     = "q"
      required = true
      type     = "string"
    }
  }
}

# Plain GET: takes nothing, not applicable.
resource "azurerm_api_management_api_operation" "list" {
  operation_id        = "list"
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-orders"
  display_name        = "List"
  method              = "GET"
  url_template        = "/"
}

# PUT validated by its own policy (with <base/>): passes.
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
}

resource "azurerm_api_management_api_operation_policy" "replace" {
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-orders"
  operation_id        = azurerm_api_management_api_operation.replace.operation_id
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-content unspecified-content-type-action="prevent" max-size="102400" size-exceeded-action="prevent">
      <content type="application/json" validate-as="json" action="prevent" />
    </validate-content>
  </inbound>
</policies>
XML
}

# PATCH whose validate-content only detects (logs): a finding, at the element.
resource "azurerm_api_management_api_operation" "update" {
  operation_id        = "update"
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-orders"
  display_name        = "Update"
  method              = "PATCH"
  url_template        = "/{id}"
}

resource "azurerm_api_management_api_operation_policy" "update" {
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-orders"
  operation_id        = azurerm_api_management_api_operation.update.operation_id
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-content unspecified-content-type-action="detect" max-size="102400" size-exceeded-action="detect">
      <content type="application/json" validate-as="json" action="detect" />
    </validate-content>
  </inbound>
</policies>
XML
}

# POST answered by a mock: not applicable.
resource "azurerm_api_management_api_operation" "purge" {
  operation_id        = "purge"
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-orders"
  display_name        = "Purge"
  method              = "POST"
  url_template        = "/purge"
}

resource "azurerm_api_management_api_operation_policy" "purge" {
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-orders"
  operation_id        = azurerm_api_management_api_operation.purge.operation_id
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <mock-response status-code="202" content-type="application/json" />
  </inbound>
</policies>
XML
}
