import t from "tap";
import { fingerprint } from "../../lib/pool/fingerprint.js";
import { taskNode } from "../helpers/task-node.js";

t.test("two checkouts at different places agree on a task's fingerprint", async (t) => {
  const here = taskNode("/home/ann/infra/tf", { name: "apply", dotenv: ["/home/ann/infra/tf/.env"], run: ["terraform apply"] });
  const there = taskNode("/srv/checkout/tf", { name: "apply", dotenv: ["/srv/checkout/tf/.env"], run: ["terraform apply"] });
  t.equal(fingerprint(here, "/home/ann/infra"), fingerprint(there, "/srv/checkout"));
});

t.test("a changed definition changes the fingerprint", async (t) => {
  const base = taskNode("/p", { name: "apply", run: ["terraform apply"] });
  const print = fingerprint(base, "/p");
  t.not(fingerprint(taskNode("/p", { name: "apply", run: ["terraform apply -auto-approve"] }), "/p"), print, "its command");
  t.not(fingerprint(taskNode("/p", { name: "apply", run: ["terraform apply"], env: { TF_LOG: "1" } }), "/p"), print, "its env");
  t.not(fingerprint(taskNode("/p/sub", { name: "apply", run: ["terraform apply"] }), "/p"), print, "its folder in the project");
  t.not(fingerprint(taskNode("/p", { name: "apply", run: ["terraform apply"], deps: ["plan"] }), "/p"), print, "its deps");
  t.not(fingerprint(taskNode("/p", { name: "apply", run: () => 1 }), "/p"), print, "a function instead");
  t.match(print, /^[0-9a-f]{16}$/);
});
