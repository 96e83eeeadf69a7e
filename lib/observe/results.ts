import type { EndEvent, RunState } from "../run/events.js";

/** `cicd.pipeline.task.run.result` and `cicd.pipeline.result` values (OpenTelemetry CI/CD semantic conventions). */
export type CicdResult = "success" | "failure" | "error" | "timeout" | "cancellation" | "skip";

export interface TaskResult {
  result: CicdResult;
  /** `error.type`: set when the result is a failure, an error or a timeout. */
  errorType?: string | undefined;
  /** Whether the span's status is an error. */
  failed: boolean;
}

/** Reasons that are the machinery's fault, not the command's: the conventions' `error`, not `failure`. */
const INFRASTRUCTURE = [/^worker lost/, /^no worker of pool /];

/** How a task's end reads in the conventions: a command's own failure is `failure`, a lost worker `error`. */
export function taskResult(end: Pick<EndEvent, "state" | "reason" | "exitCode">): TaskResult {
  switch (end.state) {
    case "ok":
      return { result: "success", failed: false };
    case "up-to-date":
    case "skipped":
      return { result: "skip", failed: false };
    case "cancelled":
      return { result: "cancellation", failed: false };
    case "failed": {
      const reason = end.reason ?? "";
      if (reason.startsWith("timed out")) return { result: "timeout", errorType: "timeout", failed: true };
      if (INFRASTRUCTURE.some((pattern) => pattern.test(reason))) return { result: "error", errorType: reason.startsWith("worker lost") ? "worker_lost" : "infrastructure", failed: true };
      // The exit code is the command's own class of error, as an HTTP status is a request's.
      return { result: "failure", errorType: end.exitCode === undefined ? "_OTHER" : String(end.exitCode), failed: true };
    }
  }
}

/** The run's result: an infrastructure error outranks a failure, as in the task results it summarises. */
export function runResult(state: RunState, tasks: readonly TaskResult[]): TaskResult {
  if (state === "interrupted") return { result: "cancellation", failed: false };
  if (state === "ok") return { result: "success", failed: false };
  const worst = tasks.find((task) => task.result === "error") ?? tasks.find((task) => task.failed);
  return { result: worst?.result === "error" ? "error" : "failure", errorType: worst?.errorType ?? "_OTHER", failed: true };
}
