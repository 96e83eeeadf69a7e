// The firewall of the home router: rules rendered from vars/<env>.yml by Ansible.
import { defineConfig } from "mity";

const env = { type: "string", choices: ["lab", "prod"], description: "Which vars/<env>.yml to use" } as const;

export default defineConfig({
  env: { ANSIBLE_NOCOLOR: "1" },
  tasks: {
    lint: {
      description: "Check the playbook's syntax",
      run: "ansible-playbook --syntax-check site.yml -e env=lab",
    },
    check: {
      description: "Show what apply would change, change nothing",
      deps: ["lint"],
      params: { env: { ...env, default: "lab" } },
      run: 'ansible-playbook site.yml --check --diff -e "env=$MITY_PARAM_ENV"',
    },
    apply: {
      description: "Write out/rules.v4",
      deps: ["lint"],
      params: { env: { ...env, required: true } },
      confirm: "Write the firewall rules?",
      run: 'ansible-playbook site.yml --diff -e "env=$MITY_PARAM_ENV"',
    },
  },
});
