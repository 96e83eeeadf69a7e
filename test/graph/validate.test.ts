import t from "tap";
import { validateConfig } from "../../lib/graph/validate.js";
import { MityError } from "../../lib/util/errors.js";

const FILE = "/p/mityfile.ts";
const BAD_RETRIES = "must be a whole number of runs after a failed one, 0 or more, not";
const TASK_FIELDS = "description, deps, concurrent, run, cwd, env, hidden, timeout, interactive, lock, params, confirm, dotenv, inputs, outputs, secrets, retries, service, ready, pool";
const TOP_FIELDS = "default, env, secrets, include, hooks, tasks, ci";
const BAD_NAME = 'is not a valid task name: use ASCII letters, digits, ".", "_" and "-" (":" separates namespaces)';
const BAD_TIMEOUT = 'must be a positive number of milliseconds or a string like "90s", "5m", not';

/** The MityError validateConfig throws for a config, or undefined when it accepts it. */
function failure(config: unknown): MityError | undefined {
  try {
    validateConfig(FILE, config);
    return undefined;
  } catch (error) {
    if (error instanceof MityError) return error;
    throw error;
  }
}

const task = (fields: Record<string, unknown>) => ({ tasks: { build: fields } });

t.test("accepts a full, valid mityfile and returns a plain copy of it", async (t) => {
  const config = {
    default: "build",
    env: { CI: "1" },
    include: { fw: "./fw" },
    hooks: { "pre-commit": ["lint", "fw:test"] },
    tasks: {
      build: { description: "Compile", run: "tsc -p .", cwd: "src", env: { A: "1" }, lock: "tsc", timeout: "90s" },
      lint: { run: ["eslint .", "prettier --check ."], hidden: true, concurrent: false, interactive: false },
      e2e: { deps: ["build", ":lint", "fw:test"], run: async () => {}, timeout: 1500, retries: 2 },
      all: { deps: ["build", "lint"], concurrent: true },
      "a.b_c-1": {},
      "1e3": {},
    },
  };
  t.strictSame(validateConfig(FILE, config), config);
  t.equal(failure({ tasks: {} }), undefined, "no tasks at all is fine");
});

t.test("each mistake gives one message naming the file, task and field", async (t) => {
  const cases: [string, unknown, string][] = [
    // The default export itself.
    ["null export", null, `${FILE}: the default export must be an object with "tasks", not null`],
    ["array export", [], `${FILE}: the default export must be an object with "tasks", not an array`],
    ["string export", "build", `${FILE}: the default export must be an object with "tasks", not a string`],
    ["function export", () => ({}), `${FILE}: the default export must be an object with "tasks", not a function`],
    // Top-level fields.
    ["misspelt tasks", { taks: {}, tasks: {} }, `${FILE}: field "taks": unknown top-level field "taks". Did you mean "tasks"? Fields: ${TOP_FIELDS}`],
    ["misspelt default", { tasks: {}, defualt: "x" }, `${FILE}: field "defualt": unknown top-level field "defualt". Did you mean "default"? Fields: ${TOP_FIELDS}`],
    ["unrelated top-level field", { tasks: {}, environment: {} }, `${FILE}: field "environment": unknown top-level field "environment". Fields: ${TOP_FIELDS}`],
    ["tasks as an array", { tasks: [] }, `${FILE}: field "tasks": must be an object of tasks, not an array`],
    ["tasks as a string", { tasks: "build" }, `${FILE}: field "tasks": must be an object of tasks, not a string`],
    ["default not a string", { tasks: {}, default: 1 }, `${FILE}: field "default": must be a task name (string), not a number`],
    ["env not an object", { tasks: {}, env: "A=1" }, `${FILE}: field "env": must be an object of strings, not a string`],
    ["env value a number", { tasks: {}, env: { PORT: 8080 } }, `${FILE}: field "env": "PORT" must be a string, not a number (write "8080")`],
    ["env value a boolean", { tasks: {}, env: { DEBUG: true } }, `${FILE}: field "env": "DEBUG" must be a string, not a boolean (write "true")`],
    ["hooks not an object", { tasks: {}, hooks: ["lint"] }, `${FILE}: field "hooks": must be an object mapping a git hook to task names`],
    ["hook not an array", { tasks: {}, hooks: { "pre-commit": "lint" } }, `${FILE}: field "hooks.pre-commit": must be an array of strings, not a string`],
    ["hook item not a string", { tasks: {}, hooks: { "pre-push": ["lint", 3] } }, `${FILE}: field "hooks.pre-push": item 1 must be a string, not a number`],
    // Task names and shapes.
    ["space in a name", { tasks: { "a b": {} } }, `${FILE}: task "a b": ${BAD_NAME}`],
    ["colon in a name", { tasks: { "a:b": {} } }, `${FILE}: task "a:b": ${BAD_NAME}`],
    ["empty name", { tasks: { "": {} } }, `${FILE}: task "": ${BAD_NAME}`],
    ["slash in a name", { tasks: { "a/b": {} } }, `${FILE}: task "a/b": ${BAD_NAME}`],
    ["non-ASCII name", { tasks: { "bäck": {} } }, `${FILE}: task "bäck": ${BAD_NAME}`],
    ["name starting with a dash", { tasks: { "-x": {} } }, `${FILE}: task "-x": must not start with "-": on the command line it would read as an option (name it "x", for example)`],
    ["name --help", { tasks: { "--help": {} } }, `${FILE}: task "--help": must not start with "-": on the command line it would read as an option (name it "help", for example)`],
    ["a getter that throws", { tasks: { build: { get deps() { throw new Error("later"); } } } }, `${FILE}: task "build", field "deps": reading it threw: later`],
    ["task as a string", { tasks: { build: "tsc" } }, `${FILE}: task "build": must be an object like { run: "..." }, not a string`],
    ["task as null", { tasks: { build: null } }, `${FILE}: task "build": must be an object like { run: "..." }, not null`],
    ["task as an array", { tasks: { build: ["tsc"] } }, `${FILE}: task "build": must be an object like { run: "..." }, not an array`],
    // Unknown and not-yet-supported task fields.
    ["misspelt deps", task({ dep: ["x"] }), `${FILE}: task "build", field "dep": unknown field. Did you mean "deps"? Task fields: ${TASK_FIELDS}`],
    ["misspelt description", task({ descripton: "x" }), `${FILE}: task "build", field "descripton": unknown field. Did you mean "description"? Task fields: ${TASK_FIELDS}`],
    ["capitalised run", task({ Run: "x" }), `${FILE}: task "build", field "Run": unknown field. Did you mean "run"? Task fields: ${TASK_FIELDS}`],
    ["unrelated field", task({ command: "x" }), `${FILE}: task "build", field "command": unknown field. Task fields: ${TASK_FIELDS}`],
    ...["inputs", "outputs"].map((field): [string, unknown, string] => [
      `${field} not an array`, task({ [field]: {} }), `${FILE}: task "build", field "${field}": must be an array of strings, not an object`,
    ]),
    // Wrong types, field by field.
    ["description a number", task({ description: 1 }), `${FILE}: task "build", field "description": must be a string, not a number`],
    ["cwd an array", task({ cwd: ["src"] }), `${FILE}: task "build", field "cwd": must be a string, not an array`],
    ["lock a boolean", task({ lock: true }), `${FILE}: task "build", field "lock": must be a string, not a boolean`],
    ["lock empty", task({ lock: "" }), `${FILE}: task "build", field "lock": must not be empty`],
    ["concurrent a string", task({ concurrent: "yes" }), `${FILE}: task "build", field "concurrent": must be true or false, not a string`],
    ["hidden a number", task({ hidden: 1 }), `${FILE}: task "build", field "hidden": must be true or false, not a number`],
    ["interactive null", task({ interactive: null }), `${FILE}: task "build", field "interactive": must be true or false, not null`],
    ["deps a string", task({ deps: "lint" }), `${FILE}: task "build", field "deps": must be an array of strings, not a string`],
    ["deps item a number", task({ deps: ["lint", 1] }), `${FILE}: task "build", field "deps": item 1 must be a string, not a number`],
    ["deps item null", task({ deps: [null] }), `${FILE}: task "build", field "deps": item 0 must be a string, not null`],
    ["env an array", task({ env: ["A=1"] }), `${FILE}: task "build", field "env": must be an object of strings, not an array`],
    ["env value a number", task({ env: { N: 2 } }), `${FILE}: task "build", field "env": "N" must be a string, not a number (write "2")`],
    ["run a number", task({ run: 42 }), `${FILE}: task "build", field "run": must be a command string, an array of them, or a function, not a number`],
    ["run item a function", task({ run: ["tsc", () => {}] }), `${FILE}: task "build", field "run": item 1 must be a string, not a function`],
    ["run empty", task({ run: "" }), `${FILE}: task "build", field "run": is an empty command`],
    ["run blank", task({ run: "  \n\t" }), `${FILE}: task "build", field "run": is an empty command`],
    // Timeouts.
    ["retries a fraction", task({ retries: 1.5 }), `${FILE}: task "build", field "retries": ${BAD_RETRIES} 1.5`],
    ["retries negative", task({ retries: -1 }), `${FILE}: task "build", field "retries": ${BAD_RETRIES} -1`],
    ["retries a string", task({ retries: "2" }), `${FILE}: task "build", field "retries": ${BAD_RETRIES} "2"`],
    ["timeout zero", task({ timeout: 0 }), `${FILE}: task "build", field "timeout": ${BAD_TIMEOUT} 0`],
    ["timeout negative", task({ timeout: -100 }), `${FILE}: task "build", field "timeout": ${BAD_TIMEOUT} -100`],
    ["timeout words", task({ timeout: "fast" }), `${FILE}: task "build", field "timeout": ${BAD_TIMEOUT} "fast"`],
    ["timeout long unit", task({ timeout: "5 minutes" }), `${FILE}: task "build", field "timeout": ${BAD_TIMEOUT} "5 minutes"`],
    ["timeout zero string", task({ timeout: "0s" }), `${FILE}: task "build", field "timeout": ${BAD_TIMEOUT} "0s"`],
    ["timeout a boolean", task({ timeout: true }), `${FILE}: task "build", field "timeout": ${BAD_TIMEOUT} true`],
    ["timeout an array", task({ timeout: [5] }), `${FILE}: task "build", field "timeout": ${BAD_TIMEOUT} [5]`],
  ];
  for (const [name, config, expected] of cases) {
    const error = failure(config);
    t.equal(error?.describe(), expected, name);
  }
});

t.test("the error carries file, task and field as properties", async (t) => {
  const error = failure({ tasks: { ok: {}, build: { deps: "lint" } } });
  t.equal(error?.file, FILE);
  t.equal(error?.task, "build");
  t.equal(error?.field, "deps");
  const top = failure({ tasks: {}, taks: {} });
  t.equal(top?.file, FILE);
  t.equal(top?.task, undefined);
  t.equal(top?.field, "taks");
});

t.test("messages name the kind of a wrong value in plain English", async (t) => {
  t.equal(failure(task({ description: { text: "x" } }))?.describe(), `${FILE}: task "build", field "description": must be a string, not an object`, "object");
  t.equal(failure(task({ run: { cmd: "x" } }))?.describe(), `${FILE}: task "build", field "run": must be a command string, an array of them, or a function, not an object`, "object run");
  t.notMatch(failure({})?.describe() ?? "", /not a undefined/, "missing tasks");
  t.equal(failure({})?.field, "tasks", "a missing tasks field names it");
});

t.test("a timeout that is not a finite number names the value", async (t) => {
  t.equal(failure(task({ timeout: Number.NaN }))?.describe(), `${FILE}: task "build", field "timeout": ${BAD_TIMEOUT} NaN`, "NaN");
  t.equal(failure(task({ timeout: Number.POSITIVE_INFINITY }))?.describe(), `${FILE}: task "build", field "timeout": ${BAD_TIMEOUT} Infinity`, "Infinity");
});

t.test("an empty command in a run list is refused like an empty run string", async (t) => {
  t.equal(failure(task({ run: ["tsc", ""] }))?.field, "run", "empty item");
  t.equal(failure(task({ run: ["  "] }))?.field, "run", "blank item");
});

t.test("secrets: names, or a name after '!', at the top or on a task", async (t) => {
  t.equal(failure({ secrets: ["DEPLOY_KEY", "!PUBLIC_TOKEN_URL"], tasks: { build: { secrets: ["X"] } } }), undefined);
  const bad = "must be a variable name, or \"!\" and a name to show that variable as it is, not";
  t.equal(failure({ secrets: "KEY", tasks: {} })?.describe(), `${FILE}: field "secrets": must be an array of strings, not a string`);
  t.equal(failure(task({ secrets: ["A", 3] }))?.describe(), `${FILE}: task "build", field "secrets": item 1 must be a string, not a number`);
  t.equal(failure(task({ secrets: ["A=B"] }))?.describe(), `${FILE}: task "build", field "secrets": item 0 ${bad} "A=B"`);
  t.equal(failure(task({ secrets: ["!"] }))?.describe(), `${FILE}: task "build", field "secrets": item 0 ${bad} "!"`);
  t.equal(failure(task({ secrets: [""] }))?.field, "secrets", "an empty name");
});

t.test("service and ready: one check, on a service, each mistake named by its field", async (t) => {
  const at = (field: string) => `${FILE}: task "build", field "${field}":`;
  t.equal(failure(task({ service: true, run: "x", ready: { log: "listening" } })), undefined);
  t.equal(failure(task({ service: true, run: "x", ready: { port: 5432, host: "db", timeout: "1m" } })), undefined);
  t.equal(failure(task({ service: true, run: "x", inputs: ["src/**"] })), undefined, "a service with no check is ready once started");
  const cases: [string, unknown, string][] = [
    ["service not a boolean", task({ service: "yes", run: "x" }), `${at("service")} must be true or false, not "yes"`],
    ["service without run", task({ service: true }), `${at("service")} a service needs a run: the command that keeps running`],
    ["service with outputs", task({ service: true, run: "x", outputs: ["a"] }), `${at("outputs")} a service writes nothing to check: it is never up to date, so it takes no outputs`],
    ["ready without service", task({ run: "x", ready: { port: 1 } }), `${at("ready")} only a service (service: true) waits to be ready`],
    ["ready with both", task({ service: true, run: "x", ready: { port: 1, log: "a" } }), `${at("ready")} must name one check: log (a regex its output matches) or port (where it takes connections)`],
    ["ready with none", task({ service: true, run: "x", ready: { timeout: "5s" } }), `${at("ready")} must name one check: log (a regex its output matches) or port (where it takes connections)`],
    ["bad regex", task({ service: true, run: "x", ready: { log: "(" } }), `${at("ready.log")} is not a regular expression: Invalid regular expression: /(/: Unterminated group`],
    ["bad port", task({ service: true, run: "x", ready: { port: 70000 } }), `${at("ready.port")} must be a TCP port number from 1 to 65535, not 70000`],
    ["host with log", task({ service: true, run: "x", ready: { log: "a", host: "h" } }), `${at("ready.host")} goes with port, not log`],
    ["bad timeout", task({ service: true, run: "x", ready: { port: 1, timeout: "soon" } }), `${at("ready.timeout")} must be a positive number of milliseconds or a string like "30s", not "soon"`],
    ["unknown field", task({ service: true, run: "x", ready: { port: 1, tcp: true } }), `${at("ready.tcp")} unknown field: ready takes log, or port and host, and timeout`],
  ];
  for (const [name, config, expected] of cases) t.equal(failure(config)?.describe(), expected, name);
});
