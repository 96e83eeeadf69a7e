server_type = "cx32"
location    = "nbg1"
