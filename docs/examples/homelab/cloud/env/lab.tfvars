server_type = "cx22"
