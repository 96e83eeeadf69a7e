// The lab router VM, with Vagrant; provisioning loads the lab firewall rules into it.
import { defineConfig } from "mity";

export default defineConfig({
  tasks: {
    check: { description: "Validate the Vagrantfile", run: "vagrant validate" },
    rules: {
      description: "Render the lab rules the VM loads",
      hidden: true,
      cwd: "../firewall",
      run: "ansible-playbook site.yml -e env=lab",
    },
    up: { description: "Start the lab router VM", deps: ["rules"], run: "vagrant up" },
    provision: { description: "Load the current lab rules into the VM", deps: ["rules"], run: "vagrant provision" },
    destroy: { description: "Delete the VM and its disk", confirm: "Destroy the lab router VM?", run: "vagrant destroy -f" },
  },
});
