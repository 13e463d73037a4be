# A service kept TLS 1.1 for an old point-of-sale client; the partner service is on TLS 1.2 only.
# The retail service has three APIs: its setting is one finding on the service, listing them.
resource "azurerm_api_management" "retail" {
  name                = "apim-retail"
  location            = "westeurope"
  resource_group_name = "rg-retail"
  publisher_name      = "Retail"
  publisher_email     = "api@retail.example.com"
  sku_name            = "Standard_1"

  security {
    frontend_tls11_enabled     = true
    triple_des_ciphers_enabled = false
  }
}

resource "azurerm_api_management_api" "tills" {
  name                = "tills"
  resource_group_name = "rg-retail"
  api_management_name = azurerm_api_management.retail.name
  revision            = "1"
  path                = "tills"
  protocols           = ["https"]
}

# Two more APIs on the same service: the service's setting is still one finding, naming the three.
resource "azurerm_api_management_api" "stock" {
  name                = "stock"
  resource_group_name = "rg-retail"
  api_management_name = azurerm_api_management.retail.name
  revision            = "1"
  path                = "stock"
  protocols           = ["https"]
}

resource "azurerm_api_management_api" "loyalty" {
  name                = "loyalty"
  resource_group_name = "rg-retail"
  api_management_name = azurerm_api_management.retail.name
  revision            = "1"
  path                = "loyalty"
  protocols           = ["https"]
}

resource "azurerm_api_management" "partners" {
  name                = "apim-partners"
  location            = "westeurope"
  resource_group_name = "rg-retail"
  publisher_name      = "Retail"
  publisher_email     = "api@retail.example.com"
  sku_name            = "Standard_1"

  security {
    frontend_tls10_enabled = false
    frontend_tls11_enabled = false
  }
}

resource "azurerm_api_management_api" "catalog" {
  name                = "catalog"
  resource_group_name = "rg-retail"
  api_management_name = azurerm_api_management.partners.name
  revision            = "1"
  path                = "catalog"
  protocols           = ["https"]
}
