resource "azurerm_api_management" "this" {
  name                = "apim-billing"
  location            = "westeurope"
  resource_group_name = "rg-billing"
  publisher_name      = "Billing"
  publisher_email     = "billing@example.com"
  sku_name            = "Developer_1"
}

variable "erp_key" {
  type      = string
  sensitive = true
}

# A subscription whose keys API Management generates.
resource "azurerm_api_management_subscription" "internal" {
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-billing"
  display_name        = "Internal tools"
  state               = "active"
}

# A partner's subscription with its key written in the code.
resource "azurerm_api_management_subscription" "partner" {
  api_management_name = azurerm_api_management.this.name
  resource_group_name = "rg-billing"
  display_name        = "Partner"
  state               = "active"
  secondary_key       = "FAKEpartnerSECONDARYkeyFAKE00001"
}

# Secret named values: one read from Key Vault, one passed in, one written here.
resource "azurerm_api_management_named_value" "erp_from_vault" {
  name                = "erp-key-vault"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.this.name
  display_name        = "erp-key-vault"
  secret              = true

  value_from_key_vault {
    secret_id = "https://kv-billing.vault.azure.net/secrets/erp-key"
  }
}

resource "azurerm_api_management_named_value" "erp_from_variable" {
  name                = "erp-key-input"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.this.name
  display_name        = "erp-key-input"
  secret              = true
  value               = var.erp_key
}

resource "azurerm_api_management_named_value" "erp_written" {
  name                = "erp-key"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.this.name
  display_name        = "erp-key"
  secret              = true
  value               = "FAKEerpKEYwrittenINtheCODE000001"
}

# Not a secret: not an API key.
resource "azurerm_api_management_named_value" "environment" {
  name                = "environment"
  resource_group_name = "rg-billing"
  api_management_name = azurerm_api_management.this.name
  display_name        = "environment"
  value               = "production"
}
