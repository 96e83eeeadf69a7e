// The BENCH.md workloads, each described once, and the three files (mityfile.ts, Makefile, Herebyfile.mjs) made from it.

const noop = () => ({ kind: "noop" });
const command = (text, seconds = 0) => ({ kind: "command", command: text, seconds });
const range = (n) => Array.from({ length: n }, (_, i) => i);

/** N independent tasks, all deps of `all`. */
function wide(n, action, prefix = "t") {
  const tasks = range(n).map((i) => ({ name: `${prefix}${i}`, deps: [], action: action() }));
  return [...tasks, { name: "all", deps: tasks.map((t) => t.name) }];
}

function chain(n) {
  const tasks = range(n).map((i) => ({ name: `t${i}`, deps: i === 0 ? [] : [`t${i - 1}`], action: noop() }));
  return [...tasks, { name: "all", deps: [`t${n - 1}`] }];
}

/** 4 layers x 8: task (k,i) depends on (k-1,i) and (k-1,(i+1)%8). */
function sleepDag() {
  const name = (k, i) => `l${k}-${i}`;
  const tasks = [];
  for (const k of range(4)) {
    for (const i of range(8)) {
      tasks.push({ name: name(k, i), deps: k === 0 ? [] : [name(k - 1, i), name(k - 1, (i + 1) % 8)], action: command("sleep 0.2", 0.2) });
    }
  }
  return [...tasks, { name: "all", deps: tasks.filter((t) => t.name.startsWith("l3-")).map((t) => t.name) }];
}

/** 8 short tasks declared first, then a chain of 3 long ones; `all` depends on everything. */
function skewedDag() {
  const short = range(8).map((i) => ({ name: `short${i}`, deps: [], action: command("sleep 0.3", 0.3) }));
  const long = range(3).map((i) => ({ name: `long${i}`, deps: i === 0 ? [] : [`long${i - 1}`], action: command("sleep 1", 1) }));
  const tasks = [...short, ...long];
  return [...tasks, { name: "all", deps: tasks.map((t) => t.name) }];
}

function listing(n) {
  const tasks = range(n).map((i) => ({ name: `t${i}`, deps: [], description: `Task number ${i}`, action: noop() }));
  return [...tasks, { name: "all", deps: tasks.map((t) => t.name), description: "Every task" }];
}

const RUNNERS = ["mity", "make", "hereby"];
const FAST = { runs: 15, warmup: 3 };
const SLEEPY = { runs: 5, warmup: 1 };

export const WORKLOADS = [
  { name: "list-1000", shows: "start-up and loading cost, TypeScript included", mode: "list", jobs: 1, target: "all", tasks: listing(1000), runners: [...RUNNERS, "node"], ...FAST },
  { name: "noop-wide-1000", shows: "per-task scheduling overhead", mode: "run", jobs: 2, target: "all", tasks: wide(1000, noop), runners: RUNNERS, ...FAST },
  { name: "noop-wide-10000", shows: "per-task scheduling overhead and memory", mode: "run", jobs: 2, target: "all", tasks: wide(10000, noop), runners: RUNNERS, ...FAST },
  { name: "chain-1000", shows: "deep graphs, no recursion limits", mode: "run", jobs: 2, target: "all", tasks: chain(1000), runners: RUNNERS, ...FAST },
  { name: "sleep-dag-j2", shows: "scheduling quality at -j2", mode: "run", jobs: 2, target: "all", tasks: sleepDag(), runners: RUNNERS, ...SLEEPY, reference: { label: "ideal", seconds: 3.2 }, fullConcurrency: true },
  { name: "sleep-dag-j8", shows: "scheduling quality at -j8", mode: "run", jobs: 8, target: "all", tasks: sleepDag(), runners: RUNNERS, ...SLEEPY, reference: { label: "ideal", seconds: 0.8 }, fullConcurrency: true },
  { name: "shell-fanout-50", shows: "cost of starting a process", mode: "run", jobs: 2, target: "all", tasks: wide(50, () => command("true"), "p"), runners: RUNNERS, ...FAST },
  {
    name: "chatty-4", shows: "the cost of reading, prefixing and keeping task output (make and hereby pass it through)", mode: "run", jobs: 2, target: "all",
    tasks: wide(4, () => command("seq 100000"), "c"), runners: RUNNERS, runs: 9, warmup: 2, mityArgs: ["--output", "prefix"],
  },
  {
    name: "skewed-dag", shows: "order of admission; the 2nd run may use the 1st run's durations", mode: "run", jobs: 2, target: "all", tasks: skewedDag(),
    runners: RUNNERS, runs: 3, warmup: 0, fresh: true, passes: ["1st run", "2nd run"], reference: { label: "best", seconds: 3.0 }, fullConcurrency: true,
  },
];

/** `node -e 0`: the floor of any Node CLI. */
export const BASELINE = { name: "node -e 0", shows: "the floor of any Node CLI", mode: "list", jobs: 1, target: "", tasks: [], runners: ["node"], ...FAST };

/** Tasks a task really waits for: its deps, looking through deps that only group others. */
const indexes = new WeakMap();

export function actionDeps(workload, task) {
  // Built once per workload: checking 10000 tasks must not rebuild it 10000 times.
  if (!indexes.has(workload)) indexes.set(workload, new Map(workload.tasks.map((t) => [t.name, t])));
  const byName = indexes.get(workload);
  const found = new Set();
  const visit = (name) => {
    const dep = byName.get(name);
    if (dep.action) found.add(name);
    else dep.deps.forEach(visit);
  };
  task.deps.forEach(visit);
  return found;
}

/** The shortest makespan any scheduler can reach: the longest chain, or the work spread over all slots. */
export function lowerBound(workload) {
  const finish = new Map();
  for (const task of workload.tasks) {
    const seconds = task.action?.kind === "command" ? task.action.seconds : 0;
    finish.set(task.name, seconds + Math.max(0, ...task.deps.map((d) => finish.get(d))));
  }
  const work = workload.tasks.reduce((sum, t) => sum + (t.action?.kind === "command" ? t.action.seconds : 0), 0);
  return Math.max(0, ...finish.values(), work / workload.jobs);
}

// ---- generators: `log` set means the checking variant, whose tasks append "+name" and "-name" lines to that file ----

const sq = (text) => `'${text.replaceAll("'", `'\\''`)}'`;

/** The shell text of a command that also records its start and end. */
const logged = (task, log) => `echo +${task.name} >> ${sq(log)}; ${task.action.command}; echo -${task.name} >> ${sq(log)}`;

export function mityfile(workload, log) {
  const lines = [`// Generated by bench/run.mjs from the "${workload.name}" workload.`, `import { defineConfig } from "mity";`];
  if (log) lines.push(`import { appendFileSync } from "node:fs";`);
  lines.push("", "export default defineConfig({", "  tasks: {");
  for (const task of workload.tasks) {
    const fields = [];
    if (task.description) fields.push(`description: ${JSON.stringify(task.description)}`);
    if (task.deps.length > 0) fields.push(`deps: ${JSON.stringify(task.deps)}`);
    if (task.action?.kind === "noop") fields.push(log ? `run: () => appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(`+${task.name}\n-${task.name}\n`)})` : "run: () => {}");
    if (task.action?.kind === "command") fields.push(`run: ${JSON.stringify(log ? logged(task, log) : task.action.command)}`);
    lines.push(`    ${JSON.stringify(task.name)}: { ${fields.join(", ")} },`);
  }
  lines.push("  },", "});", "");
  return lines.join("\n");
}

export function makefile(workload, log) {
  const lines = [`# Generated by bench/run.mjs from the "${workload.name}" workload.`, ""];
  // `all` first, so it is also the default goal.
  const ordered = [...workload.tasks.filter((t) => t.name === workload.target), ...workload.tasks.filter((t) => t.name !== workload.target)];
  for (const task of ordered) {
    lines.push(`.PHONY: ${task.name}`, `${task.name}:${task.deps.map((d) => ` ${d}`).join("")}`);
    if (task.action?.kind === "noop") {
      // $(file ...) writes without starting a shell, so the checking variant stays a no-op for make too.
      lines.push(...(log ? [`\t@$(file >>${log},+${task.name})`, `\t@$(file >>${log},-${task.name})`] : ["\t@:"]));
    }
    if (task.action?.kind === "command") lines.push(`\t@${log ? logged(task, log) : task.action.command}`);
  }
  lines.push("");
  return lines.join("\n");
}

export function herebyfile(workload, log) {
  const lines = [`// Generated by bench/run.mjs from the "${workload.name}" workload.`, `import { task } from "hereby";`];
  const commands = workload.tasks.some((t) => t.action?.kind === "command");
  if (commands) lines.push(`import { spawn } from "node:child_process";`);
  if (log) lines.push(`import { appendFileSync } from "node:fs";`);
  if (commands) {
    lines.push(
      "",
      `// hereby starts every ready task at once; this gives it the same -j${workload.jobs} as make and mity.`,
      `const limit = ${workload.jobs};`,
      "let active = 0;",
      "const waiting = [];",
      "const release = () => { active--; waiting.shift()?.(); };",
      "const slot = () => (active < limit ? (active++, Promise.resolve()) : new Promise((resolve) => waiting.push(() => (active++, resolve()))));",
      "",
      "// Runs the program itself, without a shell, as make and mity do for a simple command.",
      "const exec = async (file, ...args) => {",
      "  await slot();",
      "  try {",
      "    await new Promise((resolve, reject) => {",
      `      const child = spawn(file, args, { stdio: "inherit" });`,
      `      child.on("error", reject);`,
      "      child.on(\"exit\", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${file} failed: ${signal ?? code}`))));",
      "    });",
      "  } finally {",
      "    release();",
      "  }",
      "};",
    );
  }
  lines.push("");
  const ids = new Map();
  for (const [index, task] of workload.tasks.entries()) {
    const id = `t_${index}`;
    ids.set(task.name, id);
    const fields = [`name: ${JSON.stringify(task.name)}`];
    if (task.description) fields.push(`description: ${JSON.stringify(task.description)}`);
    if (task.deps.length > 0) {
      for (const dep of task.deps) if (!ids.has(dep)) throw new Error(`${workload.name}: ${task.name} is declared before its dep ${dep}`);
      fields.push(`dependencies: [${task.deps.map((d) => ids.get(d)).join(", ")}]`);
    }
    // A no-op function never overlaps another, so it needs no slot (as in mity, where it takes one only briefly).
    if (task.action?.kind === "noop") fields.push(log ? `run: () => appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(`+${task.name}\n-${task.name}\n`)})` : "run: () => {}");
    if (task.action?.kind === "command") {
      const argv = log ? ["/bin/sh", "-c", logged(task, log)] : task.action.command.split(" ");
      fields.push(`run: () => exec(${argv.map((a) => JSON.stringify(a)).join(", ")})`);
    }
    lines.push(`export const ${id} = task({ ${fields.join(", ")} });`);
  }
  lines.push("");
  return lines.join("\n");
}
