# The service-wide diagnostic logs request and response bodies; catalog's own diagnostic does not.
resource "azurerm_api_management" "shop" {
  name                = "apim-shop"
  location            = "westeurope"
  resource_group_name = "rg-shop"
  publisher_name      = "Shop"
  publisher_email     = "api@shop.example"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_diagnostic" "shop" {
  identifier               = "applicationinsights"
  resource_group_name      = "rg-shop"
  api_management_name      = azurerm_api_management.shop.name
  api_management_logger_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop/providers/Microsoft.ApiManagement/service/apim-shop/loggers/appi-shop"
  sampling_percentage      = 100

  frontend_request {
    body_bytes     = 8192
    headers_to_log = ["content-type", "accept"]
  }

  frontend_response {
    body_bytes = 8192
  }
}

resource "azurerm_api_management_api" "orders" {
  name                = "orders"
  resource_group_name = "rg-shop"
  api_management_name = azurerm_api_management.shop.name
  revision            = "1"
  display_name        = "Orders"
  path                = "orders"
  protocols           = ["https"]
}

# Like orders, returns has no diagnostic of its own: one finding on the service names both.
resource "azurerm_api_management_api" "returns" {
  name                = "returns"
  resource_group_name = "rg-shop"
  api_management_name = azurerm_api_management.shop.name
  revision            = "1"
  display_name        = "Returns"
  path                = "returns"
  protocols           = ["https"]
}

resource "azurerm_api_management_api" "catalog" {
  name                = "catalog"
  resource_group_name = "rg-shop"
  api_management_name = azurerm_api_management.shop.name
  revision            = "1"
  display_name        = "Catalog"
  path                = "catalog"
  protocols           = ["https"]
}

resource "azurerm_api_management_api_diagnostic" "catalog" {
  identifier               = "applicationinsights"
  resource_group_name      = "rg-shop"
  api_management_name      = azurerm_api_management.shop.name
  api_name                 = azurerm_api_management_api.catalog.name
  api_management_logger_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop/providers/Microsoft.ApiManagement/service/apim-shop/loggers/appi-shop"
  sampling_percentage      = 100

  frontend_request {
    headers_to_log = ["content-type"]
  }
}
