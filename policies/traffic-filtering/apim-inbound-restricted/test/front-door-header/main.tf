# Front Door with a WAF in front: the global policy accepts only its profile's traffic.
resource "azurerm_api_management" "this" {
  name                = "apim-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  publisher_name      = "Shop"
  publisher_email     = "shop@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "orders" {
  name                  = "orders"
  resource_group_name   = "rg-shop"
  api_management_name   = azurerm_api_management.this.name
  revision              = "1"
  path                  = "orders"
  protocols             = ["https"]
  service_url           = "https://orders.internal.example.com"
  subscription_required = true
}

resource "azurerm_api_management_api_operation" "list" {
  operation_id        = "list"
  api_name            = azurerm_api_management_api.orders.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-shop"
  display_name        = "List orders"
  method              = "GET"
  url_template        = "/orders"
}


resource "azurerm_api_management_policy" "global" {
  api_management_id = azurerm_api_management.this.id
  xml_content       = <<XML
<policies>
  <inbound>
    <check-header name="X-Azure-FDID" failed-check-httpcode="403" failed-check-error-message="Forbidden" ignore-case="true">
      <value>8f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9</value>
    </check-header>
  </inbound>
</policies>
XML
}
