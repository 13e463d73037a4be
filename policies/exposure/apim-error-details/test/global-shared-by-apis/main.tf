# The global on-error policy returns the failure's message: tills and stock inherit it (one finding
# on the service, at the global set-body); loyalty's own policy drops <base/> and returns the
# failure's source itself (its own finding); catalog's drops <base/> and returns a generic body.
resource "azurerm_api_management" "retail" {
  name                = "apim-retail"
  location            = "westeurope"
  resource_group_name = "rg-retail"
  publisher_name      = "Retail"
  publisher_email     = "retail@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_policy" "global" {
  api_management_id = azurerm_api_management.retail.id
  xml_content       = <<XML
<policies>
  <inbound />
  <backend>
    <forward-request />
  </backend>
  <outbound />
  <on-error>
    <set-body>@(context.LastError.Message)</set-body>
  </on-error>
</policies>
XML
}

resource "azurerm_api_management_api" "tills" {
  name                  = "tills"
  resource_group_name   = "rg-retail"
  api_management_name   = azurerm_api_management.retail.name
  revision              = "1"
  path                  = "tills"
  protocols             = ["https"]
  service_url           = "https://tills.internal.example.com"
  subscription_required = true
}

resource "azurerm_api_management_api" "stock" {
  name                  = "stock"
  resource_group_name   = "rg-retail"
  api_management_name   = azurerm_api_management.retail.name
  revision              = "1"
  path                  = "stock"
  protocols             = ["https"]
  service_url           = "https://stock.internal.example.com"
  subscription_required = true
}

resource "azurerm_api_management_api" "loyalty" {
  name                  = "loyalty"
  resource_group_name   = "rg-retail"
  api_management_name   = azurerm_api_management.retail.name
  revision              = "1"
  path                  = "loyalty"
  protocols             = ["https"]
  service_url           = "https://loyalty.internal.example.com"
  subscription_required = true
}

resource "azurerm_api_management_api_policy" "loyalty" {
  api_name            = azurerm_api_management_api.loyalty.name
  api_management_name = azurerm_api_management.retail.name
  resource_group_name = "rg-retail"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <set-header name="X-Error-Source" exists-action="override">
      <value>@(context.LastError.Source)</value>
    </set-header>
  </on-error>
</policies>
XML
}

resource "azurerm_api_management_api" "catalog" {
  name                  = "catalog"
  resource_group_name   = "rg-retail"
  api_management_name   = azurerm_api_management.retail.name
  revision              = "1"
  path                  = "catalog"
  protocols             = ["https"]
  service_url           = "https://catalog.internal.example.com"
  subscription_required = true
}

resource "azurerm_api_management_api_policy" "catalog" {
  api_name            = azurerm_api_management_api.catalog.name
  api_management_name = azurerm_api_management.retail.name
  resource_group_name = "rg-retail"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <set-body>@("{\"error\": \"request " + context.RequestId + " failed\"}")</set-body>
  </on-error>
</policies>
XML
}
