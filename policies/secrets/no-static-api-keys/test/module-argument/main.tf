# A module creates the key; the caller passes the value in as a literal argument.
module "reseller_key" {
  source = "./modules/key"
  name   = "reseller"
  value  = "FAKEfakeFAKEfakeFAKEfakeFAKE0005"
}
