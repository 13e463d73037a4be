# The shop's API team adds its APIs to the API Management service that the platform team deploys
# from its own repository. This configuration only refers to the service.
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

data "azurerm_api_management" "platform" {
  name                = "platform-apim"
  resource_group_name = "rg-platform"
}

locals {
  apim_name      = data.azurerm_api_management.platform.name
  resource_group = data.azurerm_api_management.platform.resource_group_name
}

# The header partners send their credentials in, for the backend's logs: a name, not a key.
resource "azurerm_api_management_named_value" "partners_key_header" {
  name                = "partners-key-header"
  resource_group_name = local.resource_group
  api_management_name = local.apim_name
  display_name        = "partners-key-header"
  value               = "X-Partner-Key"
}

# The user name and password every partner shares, written here.
resource "azurerm_api_management_named_value" "partners_basic" {
  name                = "partners-basic"
  resource_group_name = local.resource_group
  api_management_name = local.apim_name
  display_name        = "partners-basic"
  value               = "Basic FAKEcGFydG5lcnM6c2hhcmVk"
}
