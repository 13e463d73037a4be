# Catalog: product data for the storefront (through its backend) and the staff tools.
resource "azurerm_api_management_api" "catalog" {
  name                  = "catalog"
  resource_group_name   = azurerm_resource_group.shop.name
  api_management_name   = azurerm_api_management.shop.name
  revision              = "1"
  display_name          = "Catalog"
  path                  = "catalog"
  protocols             = ["https"]
  service_url           = "https://catalog.internal.shop.example.com"
  subscription_required = false
}

resource "azurerm_api_management_api_operation" "list_products" {
  operation_id        = "list-products"
  api_name            = azurerm_api_management_api.catalog.name
  api_management_name = azurerm_api_management.shop.name
  resource_group_name = azurerm_resource_group.shop.name
  display_name        = "List products"
  method              = "GET"
  url_template        = "/products"
}

resource "azurerm_api_management_api_operation" "update_price" {
  operation_id        = "update-price"
  api_name            = azurerm_api_management_api.catalog.name
  api_management_name = azurerm_api_management.shop.name
  resource_group_name = azurerm_resource_group.shop.name
  display_name        = "Update a price"
  method              = "PUT"
  url_template        = "/products/{sku}/price"

  template_parameter {
    name     = "sku"
    required = true
    type     = "string"
  }
}

resource "azurerm_api_management_api_policy" "catalog" {
  api_name            = azurerm_api_management_api.catalog.name
  api_management_name = azurerm_api_management.shop.name
  resource_group_name = azurerm_resource_group.shop.name
  xml_content         = file("${path.module}/policies/catalog.xml")
}

# Loyalty points: the mobile app calls it with a subscription key and the user's token.
resource "azurerm_api_management_api" "loyalty" {
  name                = "loyalty"
  resource_group_name = azurerm_resource_group.shop.name
  api_management_name = azurerm_api_management.shop.name
  revision            = "1"
  display_name        = "Loyalty"
  path                = "loyalty"
  protocols           = ["https"]
  service_url         = "https://loyalty.internal.shop.example.com"
}

resource "azurerm_api_management_api_operation" "balance" {
  operation_id        = "balance"
  api_name            = azurerm_api_management_api.loyalty.name
  api_management_name = azurerm_api_management.shop.name
  resource_group_name = azurerm_resource_group.shop.name
  display_name        = "Points balance"
  method              = "GET"
  url_template        = "/balance"
}

resource "azurerm_api_management_api_policy" "loyalty" {
  api_name            = azurerm_api_management_api.loyalty.name
  api_management_name = azurerm_api_management.shop.name
  resource_group_name = azurerm_resource_group.shop.name
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <validate-jwt header-name="Authorization" failed-validation-httpcode="401" require-expiration-time="true" require-signed-tokens="true">
      <openid-config url="https://login.microsoftonline.com/${var.tenant_id}/v2.0/.well-known/openid-configuration" />
      <audiences>
        <audience>api://shop-loyalty</audience>
      </audiences>
    </validate-jwt>
    <set-header name="X-Api-Key" exists-action="override">
      <value>{{loyalty-backend-key}}</value>
    </set-header>
  </inbound>
  <backend>
    <base />
  </backend>
  <outbound>
    <base />
  </outbound>
  <on-error>
    <base />
  </on-error>
</policies>
XML
}

resource "azurerm_api_management_product" "mobile" {
  product_id            = "mobile"
  api_management_name   = azurerm_api_management.shop.name
  resource_group_name   = azurerm_resource_group.shop.name
  display_name          = "Mobile app"
  subscription_required = true
  approval_required     = false
  published             = true
}

resource "azurerm_api_management_product_api" "mobile_loyalty" {
  api_name            = azurerm_api_management_api.loyalty.name
  product_id          = azurerm_api_management_product.mobile.product_id
  api_management_name = azurerm_api_management.shop.name
  resource_group_name = azurerm_resource_group.shop.name
}

# API Management generates the keys; the app reads them from the build pipeline's secret store.
resource "azurerm_api_management_subscription" "mobile_app" {
  api_management_name = azurerm_api_management.shop.name
  resource_group_name = azurerm_resource_group.shop.name
  product_id          = azurerm_api_management_product.mobile.id
  display_name        = "Mobile app (iOS and Android)"
  state               = "active"
}
