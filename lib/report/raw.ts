import { StringDecoder } from "node:string_decoder";
import type { Reporter, ReporterOptions } from "./reporter.js";
import { Summary } from "./summary.js";

/**
 * Task output byte for byte as it came (the `chunk` events: line endings, long lines, a missing last
 * newline and bytes that are not text all kept), each stream to its own, then the summary.
 */
export function rawReporter(options: ReporterOptions): Reporter {
  const summary = new Summary(options);
  const decoders = new Map<string, StringDecoder>();
  // Without a way to write bytes, text: each task's stream keeps its own decoder, so a character cut between chunks stays whole.
  const asText = (stream: "stdout" | "stderr", key: string, data: Uint8Array) => {
    let decoder = decoders.get(key);
    if (!decoder) decoders.set(key, (decoder = new StringDecoder("utf8")));
    (stream === "stderr" ? options.err : options.out)(decoder.write(data as Buffer));
  };
  return (event) => {
    summary.record(event);
    if (event.event === "chunk" && options.verbosity !== "silent") {
      if (options.bytes) options.bytes(event.stream, event.data);
      else asText(event.stream, `${event.task}\0${event.stream}`, event.data);
    } else if (event.event === "command" && options.verbosity === "verbose") {
      options.err(`$ ${event.command}\n`);
    }
  };
}
