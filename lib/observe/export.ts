import { createRequire } from "node:module";
import type { OtlpConfig } from "./otel-config.js";

/** Spans per request: a collector limits a request's size (4 MiB by default), a long run may have many tasks. */
export const SPANS_PER_REQUEST = 1000;

/**
 * POSTs OTLP/HTTP JSON bodies to the collector, all within the configured timeout; resolves to why it
 * failed (for one warning), or undefined. Never throws: a trace must not change how a run ends.
 */
export async function postBodies(config: Pick<OtlpConfig, "url" | "headers" | "timeoutMs">, bodies: readonly string[]): Promise<string | undefined> {
  const signal = AbortSignal.timeout(config.timeoutMs);
  const failures = await Promise.all(bodies.map((body) => post(config, body, signal).catch((error: unknown) => describe(error, signal, config.timeoutMs))));
  const failure = failures.find((reason) => reason !== undefined);
  return failure === undefined ? undefined : `the run's trace was not sent to ${shownUrl(config.url)}: ${failure}`;
}

async function post(config: Pick<OtlpConfig, "url" | "headers">, body: string, signal: AbortSignal): Promise<string | undefined> {
  const url = new URL(config.url);
  // Only the client the endpoint needs: TLS alone costs tens of milliseconds to load.
  const { request } = createRequire(import.meta.url)(url.protocol === "https:" ? "node:https" : "node:http") as typeof import("node:http");
  return new Promise((resolve, reject) => {
    const sending = request(url, {
      method: "POST",
      headers: { ...config.headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      signal,
      // One connection, closed after: nothing is left open to hold the process at its exit.
      agent: false,
    });
    sending.on("error", reject);
    sending.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", reject);
      response.on("end", () => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) return resolve(undefined);
        const text = Buffer.concat(chunks).toString("utf8").replace(/\s+/g, " ").trim().slice(0, 200);
        resolve(`the collector answered ${status}${text ? ` (${text})` : ""}`);
      });
    });
    sending.end(body);
  });
}

function describe(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no answer within ${timeoutMs} ms`;
  const { code, message } = error as NodeJS.ErrnoException;
  return code ?? message ?? String(error);
}

/** The collector's address without a user or password, for messages. */
export function shownUrl(text: string): string {
  try {
    const url = new URL(text);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.toString();
  } catch {
    return text;
  }
}
