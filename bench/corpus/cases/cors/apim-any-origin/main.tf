resource "azurerm_api_management" "this" {
  name                = "apim-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  publisher_name      = "Shop"
  publisher_email     = "shop@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_api" "catalog" {
  name                = "catalog"
  resource_group_name = "rg-shop"
  api_management_name = azurerm_api_management.this.name
  revision            = "1"
  path                = "catalog"
  protocols           = ["https"]
  service_url         = "https://catalog.internal.example.com"
}

resource "azurerm_api_management_api_policy" "catalog" {
  api_name            = azurerm_api_management_api.catalog.name
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-shop"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <cors allow-credentials="false">
      <allowed-origins>
        <origin>*</origin>
      </allowed-origins>
      <allowed-methods>
        <method>GET</method>
      </allowed-methods>
    </cors>
  </inbound>
</policies>
XML
}
