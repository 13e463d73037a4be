terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "shop" {
  name     = "rg-${var.project}-${var.environment}"
  location = var.location
}

resource "azurerm_virtual_network" "shop" {
  name                = "vnet-${var.project}-${var.environment}"
  location            = azurerm_resource_group.shop.location
  resource_group_name = azurerm_resource_group.shop.name
  address_space       = ["10.20.0.0/16"]
}

resource "azurerm_subnet" "apim" {
  name                 = "snet-apim"
  resource_group_name  = azurerm_resource_group.shop.name
  virtual_network_name = azurerm_virtual_network.shop.name
  address_prefixes     = ["10.20.1.0/24"]
}

# The gateway has no public address: the shop's Application Gateway, with a WAF policy, publishes the
# APIs from the same virtual network.
resource "azurerm_api_management" "shop" {
  name                 = "apim-${var.project}-${var.environment}"
  location             = azurerm_resource_group.shop.location
  resource_group_name  = azurerm_resource_group.shop.name
  publisher_name       = "Shop platform team"
  publisher_email      = "platform@shop.example.com"
  sku_name             = "Developer_1"
  virtual_network_type = "Internal"

  virtual_network_configuration {
    subnet_id = azurerm_subnet.apim.id
  }

  identity {
    type = "SystemAssigned"
  }

  security {
    frontend_tls10_enabled = false
    frontend_tls11_enabled = false
  }
}

# Every request, every API: CORS for the shop's own sites, token validation and a per-client rate limit.
resource "azurerm_api_management_policy" "global" {
  api_management_id = azurerm_api_management.shop.id
  xml_content       = file("${path.module}/policies/global.xml")
}

# Secrets the policies use, read from Key Vault by the service's managed identity.
resource "azurerm_api_management_named_value" "loyalty_backend_key" {
  name                = "loyalty-backend-key"
  resource_group_name = azurerm_resource_group.shop.name
  api_management_name = azurerm_api_management.shop.name
  display_name        = "loyalty-backend-key"
  secret              = true

  value_from_key_vault {
    secret_id = "https://kv-shop-prod.vault.azure.net/secrets/loyalty-backend-key"
  }
}

# Every API's calls, sampled in full, to Application Insights: metadata and errors, no bodies and
# no credential headers.
resource "azurerm_application_insights" "shop" {
  name                = "appi-${var.project}-${var.environment}"
  location            = azurerm_resource_group.shop.location
  resource_group_name = azurerm_resource_group.shop.name
  application_type    = "web"
}

resource "azurerm_api_management_logger" "shop" {
  name                = "appi-${var.project}-${var.environment}"
  api_management_name = azurerm_api_management.shop.name
  resource_group_name = azurerm_resource_group.shop.name
  resource_id         = azurerm_application_insights.shop.id

  application_insights {
    connection_string = azurerm_application_insights.shop.connection_string
  }
}

resource "azurerm_api_management_diagnostic" "shop" {
  identifier               = "applicationinsights"
  resource_group_name      = azurerm_resource_group.shop.name
  api_management_name      = azurerm_api_management.shop.name
  api_management_logger_id = azurerm_api_management_logger.shop.id
  sampling_percentage      = 100
  always_log_errors        = true
  log_client_ip            = true

  frontend_request {
    headers_to_log = ["Content-Type", "User-Agent"]
  }
}
