terraform {
  required_version = ">= 1.5"
  required_providers {
    hcloud = {
      source  = "hetznercloud/hcloud"
      version = "~> 1.45"
    }
  }
}

# The token comes from HCLOUD_TOKEN (see ../.env.example).
provider "hcloud" {}

variable "server_type" {
  type        = string
  description = "Hetzner server type"
}

variable "location" {
  type    = string
  default = "fsn1"
}

resource "hcloud_server" "gateway" {
  name        = "gateway-${terraform.workspace}"
  image       = "debian-12"
  server_type = var.server_type
  location    = var.location
  labels = {
    env        = terraform.workspace
    managed_by = "terraform"
  }
}

output "ipv4" {
  value = hcloud_server.gateway.ipv4_address
}
