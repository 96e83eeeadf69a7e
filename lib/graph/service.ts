import { MityError } from "../util/errors.js";
import { parseDuration } from "../util/duration.js";
import { isObject } from "../util/is-object.js";

type Place = { file: string; task: string };

/** Checks `service` and `ready` together: `ready` only on a service, with one check (`log` or `port`). */
export function checkService(task: Record<string, unknown>, place: Place): void {
  const { service, ready } = task;
  if (service !== undefined && typeof service !== "boolean") throw new MityError(`must be true or false, not ${JSON.stringify(service)}`, { ...place, field: "service" });
  if (service === true && task.run === undefined) throw new MityError("a service needs a run: the command that keeps running", { ...place, field: "service" });
  if (service === true && task.outputs !== undefined) throw new MityError("a service writes nothing to check: it is never up to date, so it takes no outputs", { ...place, field: "outputs" });
  if (ready === undefined) return;
  const at = (field: string) => ({ ...place, field: `ready.${field}` });
  if (service !== true) throw new MityError("only a service (service: true) waits to be ready", { ...place, field: "ready" });
  if (!isObject(ready)) throw new MityError(`must be { log: "regex" } or { port: 5432 }, not ${JSON.stringify(ready)}`, { ...place, field: "ready" });
  for (const key of Object.keys(ready)) {
    if (!["log", "port", "host", "timeout"].includes(key)) throw new MityError(`unknown field: ready takes log, or port and host, and timeout`, at(key));
  }
  if ((ready.log === undefined) === (ready.port === undefined)) throw new MityError("must name one check: log (a regex its output matches) or port (where it takes connections)", { ...place, field: "ready" });
  if (ready.log !== undefined) {
    if (typeof ready.log !== "string" || ready.log === "") throw new MityError(`must be a regular expression as a string, not ${JSON.stringify(ready.log)}`, at("log"));
    try {
      new RegExp(ready.log);
    } catch (error) {
      throw new MityError(`is not a regular expression: ${(error as Error).message}`, at("log"));
    }
    if (ready.host !== undefined) throw new MityError("goes with port, not log", at("host"));
  }
  if (ready.port !== undefined && !(Number.isInteger(ready.port) && (ready.port as number) >= 1 && (ready.port as number) <= 65535)) {
    throw new MityError(`must be a TCP port number from 1 to 65535, not ${JSON.stringify(ready.port)}`, at("port"));
  }
  if (ready.host !== undefined && (typeof ready.host !== "string" || ready.host === "")) throw new MityError(`must be a host name or address, not ${JSON.stringify(ready.host)}`, at("host"));
  if (ready.timeout !== undefined) {
    const ms = typeof ready.timeout === "number" || typeof ready.timeout === "string" ? parseDuration(ready.timeout) : undefined;
    if (ms === undefined || !Number.isFinite(ms)) throw new MityError(`must be a positive number of milliseconds or a string like "30s", not ${JSON.stringify(ready.timeout)}`, at("timeout"));
  }
}
