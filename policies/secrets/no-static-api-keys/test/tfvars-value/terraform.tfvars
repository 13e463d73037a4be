keys = {
  acme   = "FAKEfakeFAKEfakeFAKEfakeFAKE0003"
  globex = "FAKEfakeFAKEfakeFAKEfakeFAKE0004"
}
