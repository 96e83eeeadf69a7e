import t from "tap";
import { MAX_EXPORT_MS, readOtlpConfig, tracingWanted } from "../../lib/observe/otel-config.js";

t.test("tracing is on with an endpoint, unless the SDK is disabled or the traces exporter is none", async (t) => {
  t.equal(tracingWanted({}), false);
  t.equal(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }), true);
  t.equal(tracingWanted({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/v1/traces" }), true);
  t.equal(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "TRUE" }), false);
  t.equal(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "false" }), true);
  t.equal(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" }), false);
  t.equal(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "otlp" }), true);
});

t.test("the endpoint: the generic one gets /v1/traces, the traces one is used as it is", async (t) => {
  t.equal(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }).url, "http://c:4318/v1/traces");
  t.equal(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "https://c/otlp/" }).url, "https://c/otlp/v1/traces");
  t.equal(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b/in" }).url, "http://b/in");
});

t.test("headers, resource attributes and the service name", async (t) => {
  const config = readOtlpConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: "http://c",
    OTEL_EXPORTER_OTLP_HEADERS: "api-key=one, x-team = infra ,",
    OTEL_EXPORTER_OTLP_TRACES_HEADERS: "api-key=two%20words",
    OTEL_RESOURCE_ATTRIBUTES: "host.name=lab1,service.name=from-attrs",
  });
  t.strictSame(config.headers, { "api-key": "two words", "x-team": "infra" });
  t.strictSame(config.resource, { "service.name": "from-attrs", "host.name": "lab1" });
  t.equal(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_SERVICE_NAME: "ci", OTEL_RESOURCE_ATTRIBUTES: "service.name=x" }).resource["service.name"], "ci", "OTEL_SERVICE_NAME wins");
  t.equal(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c" }).resource["service.name"], "mity");
  t.strictSame(config.warnings, []);
});

t.test("a malformed header is left out with a warning that does not show it", async (t) => {
  const config = readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_HEADERS: "Authorization Bearer secret-token,ok=1" });
  t.strictSame(config.headers, { ok: "1" });
  t.equal(config.warnings.length, 1);
  t.notMatch(config.warnings[0], /secret-token/);
});

t.test("the timeout: the traces one, else the generic one, never more than 2 s", async (t) => {
  t.equal(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c" }).timeoutMs, MAX_EXPORT_MS, "the 10 s default is capped");
  t.equal(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_TIMEOUT: "500" }).timeoutMs, 500);
  t.equal(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_TIMEOUT: "500", OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "250" }).timeoutMs, 250);
  const bad = readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_TIMEOUT: "soon" });
  t.equal(bad.timeoutMs, MAX_EXPORT_MS);
  t.match(bad.warnings, [/OTEL_EXPORTER_OTLP_TIMEOUT is "soon"/]);
});

t.test("gRPC is not spoken: a warning says to use the HTTP port", async (t) => {
  t.match(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4317", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }).warnings, [/grpc.*4318/]);
  t.strictSame(readOtlpConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c", OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }).warnings, []);
});
