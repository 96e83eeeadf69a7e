import { EventEmitter } from "node:events";
import t from "tap";
import { OutputWriter } from "../../lib/cli/output-writer.js";
import { OutputFlow } from "../../lib/run/flow.js";

/** A stream that takes writes as a pipe would: `full` says the reader is behind. */
class FakeStream extends EventEmitter {
  written: (string | Uint8Array)[] = [];
  full = false;
  throws: Error | undefined;
  write(data: string | Uint8Array): boolean {
    if (this.throws) throw this.throws;
    this.written.push(data);
    return !this.full;
  }
}

const errno = (code: string) => Object.assign(new Error(`${code}: failed`), { code });

t.test("a full stream holds the flow until it drains", async (t) => {
  const stream = new FakeStream();
  const flow = new OutputFlow();
  const writer = new OutputWriter(stream, { name: "stdout", flow, onFailed: () => t.fail("no failure") });
  stream.full = true;
  writer.write("a line\n");
  writer.flush();
  t.ok(flow.held, "held while the reader is behind");
  let resumed = false;
  flow.whenFree(() => (resumed = true));
  stream.emit("drain");
  t.notOk(flow.held);
  t.ok(resumed, "waiting commands are resumed");
});

t.test("text and bytes written in one turn go out together and in order", async (t) => {
  const stream = new FakeStream();
  const writer = new OutputWriter(stream, { name: "stdout", onFailed: () => {} });
  writer.write("[a] one\n");
  writer.write(Buffer.from([0xff, 0x0d, 0x0a]));
  writer.write("two");
  writer.flush();
  t.equal(stream.written.length, 1);
  t.ok(Buffer.from(stream.written[0]!).equals(Buffer.concat([Buffer.from("[a] one\n"), Buffer.from([0xff, 0x0d, 0x0a]), Buffer.from("two")])));
});

t.test("a write that throws (a full disk) is reported once, releases the flow, and what follows is dropped", async (t) => {
  const stream = new FakeStream();
  const flow = new OutputFlow();
  const failures: string[] = [];
  const writer = new OutputWriter(stream, { name: "stdout", flow, direct: true, onFailed: (error) => failures.push(String(error.code)) });
  stream.full = true;
  writer.write("first\n");
  t.ok(flow.held);
  stream.throws = errno("ENOSPC");
  writer.write("second\n");
  writer.write("third\n");
  t.strictSame(failures, ["ENOSPC"]);
  t.notOk(flow.held, "nothing waits on a stream that will never drain");
  t.strictSame(stream.written, ["first\n"]);
});

t.test("an error event (a closed pipe) is reported once", async (t) => {
  const stream = new FakeStream();
  const failures: string[] = [];
  const writer = new OutputWriter(stream, { name: "stdout", onFailed: (error) => failures.push(String(error.code)) });
  stream.emit("error", errno("EPIPE"));
  stream.emit("error", errno("EPIPE"));
  writer.write("late\n");
  writer.flush();
  t.strictSame(failures, ["EPIPE"]);
  t.strictSame(stream.written, []);
});
