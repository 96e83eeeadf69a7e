import t from "tap";
import { runResult, taskResult } from "../../lib/observe/results.js";

t.test("a task's end in the CI/CD conventions' terms", async (t) => {
  t.strictSame(taskResult({ state: "ok" }), { result: "success", failed: false });
  t.strictSame(taskResult({ state: "up-to-date" }), { result: "skip", failed: false });
  t.strictSame(taskResult({ state: "cancelled", reason: "stopped: the run was interrupted" }), { result: "cancellation", failed: false });
  t.strictSame(taskResult({ state: "failed", exitCode: 2, reason: "exit code 2 from: make" }), { result: "failure", errorType: "2", failed: true }, "the command's own failure");
  t.strictSame(taskResult({ state: "failed", reason: "boom" }), { result: "failure", errorType: "_OTHER", failed: true }, "a thrown error");
  t.strictSame(taskResult({ state: "failed", reason: "timed out after 5s" }), { result: "timeout", errorType: "timeout", failed: true });
  t.strictSame(taskResult({ state: "failed", reason: "worker lost" }), { result: "error", errorType: "worker_lost", failed: true }, "the machinery's fault");
  t.strictSame(taskResult({ state: "failed", reason: 'no worker of pool "bastion" took it within 60s' }), { result: "error", errorType: "infrastructure", failed: true });
});

t.test("the run's result: an infrastructure error outranks a command's failure", async (t) => {
  const failure = taskResult({ state: "failed", exitCode: 1 });
  const lost = taskResult({ state: "failed", reason: "worker lost" });
  t.strictSame(runResult("ok", []), { result: "success", failed: false });
  t.strictSame(runResult("interrupted", [failure]), { result: "cancellation", failed: false });
  t.strictSame(runResult("failed", [failure]), { result: "failure", errorType: "1", failed: true });
  t.strictSame(runResult("failed", [failure, lost]), { result: "error", errorType: "worker_lost", failed: true });
});
