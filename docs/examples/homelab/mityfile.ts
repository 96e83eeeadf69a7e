// One place for the homelab: `mity --list`, `mity check`, `mity firewall:apply --env lab`, ...
import { defineConfig } from "mity";

export default defineConfig({
  default: "check",
  env: {
    // Terraform: shorter output meant for automation, and no calls home for version checks.
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
  },
  include: {
    firewall: "./firewall",
    cloud: "./cloud",
    vm: "./vm",
  },
  tasks: {
    check: {
      description: "Check all three, at the same time; change nothing",
      deps: ["firewall:check", "cloud:check", "vm:check"],
      concurrent: true,
    },
  },
});
