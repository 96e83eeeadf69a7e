// The cloud side: one small server per environment at Hetzner, one Terraform workspace each.
import { defineConfig } from "mity";

const env = { type: "string", choices: ["lab", "prod"], description: "Terraform workspace and env/<env>.tfvars" } as const;
const workspace = 'terraform workspace select -or-create "$MITY_PARAM_ENV"';

export default defineConfig({
  tasks: {
    init: {
      description: "Download providers, set up the state",
      run: "terraform init -input=false",
    },
    check: {
      description: "Format and validate, change nothing",
      deps: ["init"],
      run: ["terraform fmt -check -diff", "terraform validate"],
    },
    plan: {
      description: "Show what apply would change",
      deps: ["init"],
      params: { env: { ...env, default: "lab" } },
      dotenv: "../.env",
      lock: "tfstate",
      run: [workspace, 'terraform plan -input=false -var-file="env/$MITY_PARAM_ENV.tfvars"'],
    },
    apply: {
      description: "Create or change the servers",
      deps: ["init"],
      params: { env: { ...env, required: true } },
      dotenv: "../.env",
      confirm: "Apply the Terraform changes?",
      lock: "tfstate",
      run: [workspace, 'terraform apply -input=false -auto-approve -var-file="env/$MITY_PARAM_ENV.tfvars"'],
    },
  },
});
