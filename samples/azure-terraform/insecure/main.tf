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

resource "azurerm_api_management" "shop" {
  name                = "apim-${var.project}-${var.environment}"
  location            = azurerm_resource_group.shop.location
  resource_group_name = azurerm_resource_group.shop.name
  publisher_name      = "Shop platform team"
  publisher_email     = "platform@shop.example.com"
  sku_name            = "Developer_1"

  security {
    frontend_tls10_enabled = false
    frontend_tls11_enabled = false
  }
}

# Every request, every API: CORS and a per-client rate limit.
resource "azurerm_api_management_policy" "global" {
  api_management_id = azurerm_api_management.shop.id
  xml_content       = file("${path.module}/policies/global.xml")
}

# Secrets the policies use.
resource "azurerm_api_management_named_value" "loyalty_backend_key" {
  name                = "loyalty-backend-key"
  resource_group_name = azurerm_resource_group.shop.name
  api_management_name = azurerm_api_management.shop.name
  display_name        = "loyalty-backend-key"
  secret              = true
  value               = "FAKEloyaltyBACKENDkeyFAKE0000001"
}

# Every API's calls to Application Insights, set up while debugging a checkout bug: with the first
# 8 KB of every request and response body and the Authorization header, tokens included.
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
    body_bytes     = 8192
    headers_to_log = ["Content-Type", "Authorization"]
  }

  frontend_response {
    body_bytes = 8192
  }
}
