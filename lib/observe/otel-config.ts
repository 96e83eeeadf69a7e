type Env = Readonly<Record<string, string | undefined>>;

/** Where and how a run's spans are sent, read from the standard `OTEL_*` variables. */
export interface OtlpConfig {
  url: string;
  headers: Record<string, string>;
  /** Milliseconds the export may take before it is given up. */
  timeoutMs: number;
  /** Resource attributes: `service.name` and those of `OTEL_RESOURCE_ATTRIBUTES`. */
  resource: Record<string, string>;
  /** Things in the variables that mity cannot honour, said once as warnings. */
  warnings: string[];
}

/** The longest an export may delay the end of a run, whatever the timeout variables say. */
export const MAX_EXPORT_MS = 2000;

/** Whether the variables ask for traces: cheap, so a plain run can check it before loading anything. */
export function tracingWanted(env: Env): boolean {
  if (!env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT && !env.OTEL_EXPORTER_OTLP_ENDPOINT) return false;
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? "otlp").split(",").map((name) => name.trim().toLowerCase());
  return !exporters.includes("none");
}

/** The export's settings, following the OTLP exporter specification's variables and precedence. */
export function readOtlpConfig(env: Env): OtlpConfig {
  const warnings: string[] = [];
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim();
  if (protocol === "grpc") warnings.push(`OTEL_EXPORTER_OTLP_PROTOCOL is "grpc", but mity sends OTLP over HTTP (JSON): point the endpoint at the collector's HTTP port (4318)`);
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  // The generic endpoint is a base: the signal's path is added to it; the signal's own is used as it is.
  const url = specific || `${env.OTEL_EXPORTER_OTLP_ENDPOINT!.trim().replace(/\/+$/, "")}/v1/traces`;
  const headers = { ...parsePairs(env.OTEL_EXPORTER_OTLP_HEADERS, "OTEL_EXPORTER_OTLP_HEADERS", warnings), ...parsePairs(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS, "OTEL_EXPORTER_OTLP_TRACES_HEADERS", warnings) };
  const timeout = readTimeout(env, warnings);
  const resource: Record<string, string> = { "service.name": "mity", ...parsePairs(env.OTEL_RESOURCE_ATTRIBUTES, "OTEL_RESOURCE_ATTRIBUTES", warnings) };
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  if (serviceName) resource["service.name"] = serviceName;
  return { url, headers, timeoutMs: Math.min(timeout, MAX_EXPORT_MS), resource, warnings };
}

/** `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, else `OTEL_EXPORTER_OTLP_TIMEOUT`, in milliseconds (default 10 s, capped later). */
function readTimeout(env: Env, warnings: string[]): number {
  for (const name of ["OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"]) {
    const value = env[name]?.trim();
    if (!value) continue;
    const ms = Number(value);
    if (Number.isFinite(ms) && ms > 0) return ms;
    warnings.push(`${name} is "${value}", not a number of milliseconds: using ${MAX_EXPORT_MS}`);
  }
  return 10_000;
}

/** `key1=value1,key2=value2` with percent-encoded values, as the headers and resource variables are written. */
export function parsePairs(text: string | undefined, variable: string, warnings: string[]): Record<string, string> {
  const pairs: Record<string, string> = {};
  if (!text) return pairs;
  for (const item of text.split(",")) {
    if (item.trim() === "") continue;
    const equals = item.indexOf("=");
    const key = equals === -1 ? "" : item.slice(0, equals).trim();
    if (key === "") {
      // The entry is not shown: it may hold an API key.
      warnings.push(`${variable} has an entry that is not key=value: it was left out`);
      continue;
    }
    pairs[key] = decode(item.slice(equals + 1).trim());
  }
  return pairs;
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
