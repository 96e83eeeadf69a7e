import { spawn, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { commandArgv } from "./command.js";
import type { OutputGate } from "./flow.js";
import { LineSplitter } from "./lines.js";
import { signalTree, treeAlive } from "./stop-tree.js";

export interface CommandRequest {
  /** A shell command, or an argv run as is. */
  command: string | readonly string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /**
   * Calls the listener (at once if already stopped) to stop the command's whole process tree: SIGTERM,
   * then SIGKILL after `graceMs`. Returns how to forget the listener. Callbacks, not an AbortSignal:
   * an event listener costs more than starting a quick command does.
   */
  onStop: (listener: () => void) => () => void;
  /** The same, to kill at once (a second Ctrl-C). */
  onKill?: ((listener: () => void) => () => void) | undefined;
  graceMs: number;
  /** Hand the terminal to the command instead of reading its output. */
  inherit?: boolean;
  /**
   * A line of output. `read`: it was read from the command, whose bytes went to `onChunk` first;
   * otherwise it is mity's own word about the command (it could not be started).
   */
  onLine: (stream: "stdout" | "stderr", line: string, read?: boolean) => void;
  /** The command's output exactly as read, before it is cut into lines. */
  onChunk?: ((stream: "stdout" | "stderr", data: Buffer) => void) | undefined;
  /** While held, the command's pipes are not read: it waits, rather than mity holding its output. */
  flow?: OutputGate | undefined;
  /** Told when the command's process group starts and when it is gone. */
  onGroup?: ((pgid: number, alive: boolean) => void) | undefined;
  /** Told when the command cannot start yet because mity is out of file descriptors (it waits for some). */
  onDescriptorShortage?: (() => void) | undefined;
}

export interface CommandExit {
  /** The exit code, or 128 + the signal number when a signal ended it (as shells report it). */
  exitCode: number;
  signal: NodeJS.Signals | null;
}

const SIGNAL_NUMBERS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };

/**
 * Runs one command in its own process group, passes its output on line by line, and resolves once the
 * command has exited and nothing it started is left: survivors of the group are stopped too.
 */
export function runCommand(request: CommandRequest, attempt = 0): Promise<CommandExit> {
  running++;
  const [file, ...args] = typeof request.command === "string" ? commandArgv(request.command) : request.command;
  // An interactive command stays in mity's process group, the terminal's foreground one, so that it keeps
  // the controlling terminal (password prompts, /dev/tty); it is then signalled alone, not as a group.
  const ownGroup = process.platform !== "win32" && !request.inherit;
  return new Promise((resolve) => {
    const child = spawn(file!, args, {
      cwd: request.cwd,
      env: request.env,
      detached: ownGroup,
      stdio: request.inherit ? "inherit" : ["ignore", "pipe", "pipe"],
      windowsHide: true,
    });
    new RunningCommand(request, attempt, child, file!, ownGroup, resolve).watch();
  });
}

/** One started command: its pipes, its exit, its stop, and what it left running in its group. */
class RunningCommand {
  private exit: CommandExit | undefined;
  /** Pipes still being read. */
  private open: number;
  /** Waiting for what the command left in its group to go. */
  private reaping = false;
  /** Holds one of the running commands' descriptors until released, once. */
  private holding = true;
  private graceTimer: NodeJS.Timeout | undefined;
  private lingerTimer: NodeJS.Timeout | undefined;
  private forgetStop: (() => void) | undefined;
  private forgetKill: (() => void) | undefined;

  constructor(
    private readonly request: CommandRequest,
    private readonly attempt: number,
    private readonly child: ChildProcess,
    private readonly file: string,
    private readonly ownGroup: boolean,
    private readonly resolve: (exit: CommandExit | Promise<CommandExit>) => void,
  ) {
    this.open = request.inherit ? 0 : 2;
  }

  watch(): void {
    const { child, request } = this;
    if (child.pid !== undefined && this.ownGroup) request.onGroup?.(child.pid, true);
    if (child.stdout) this.read("stdout", child.stdout);
    if (child.stderr) this.read("stderr", child.stderr);
    child.on("error", (error: NodeJS.ErrnoException) => this.failed(error));
    child.on("exit", (code, signal) => this.exited(code, signal));
    this.forgetStop = request.onStop(this.stop);
    this.forgetKill = request.onKill?.(this.kill);
  }

  private read(name: "stdout" | "stderr", stream: Readable): void {
    const { request } = this;
    const { flow } = request;
    const splitter = new LineSplitter((line) => request.onLine(name, line, true));
    // Bytes, not text: chunks go on unchanged, and a character cut between two chunks is joined again for lines.
    const decoder = new StringDecoder("utf8");
    const resume = () => stream.resume();
    stream.on("data", (chunk: Buffer) => {
      request.onChunk?.(name, chunk);
      splitter.push(decoder.write(chunk));
      if (flow?.held) {
        stream.pause();
        flow.whenFree(resume);
      }
    });
    // All output is read: close now, rather than first shutting down a write side nobody uses.
    stream.on("end", () => stream.destroy());
    stream.on("close", () => {
      splitter.push(decoder.end());
      splitter.end();
      this.open--;
      this.finish();
    });
  }

  private failed(error: NodeJS.ErrnoException): void {
    // mity's own limit, not the command's failure: it starts once a running command gives descriptors back.
    if (this.child.pid === undefined && (error.code === "EMFILE" || error.code === "ENFILE")) {
      this.forget();
      this.release(false);
      this.resolve(startWhenDescriptorsFree(this.request, this.attempt, error.code));
      return;
    }
    // Only a command run without the shell gets here: say what the shell would have said.
    const code = error.code === "ENOENT" ? 127 : 126;
    const why = error.code === "ENOENT" ? "command not found" : error.code === "EACCES" ? "Permission denied" : error.message;
    this.request.onLine("stderr", `mity: ${this.file}: ${why}`);
    this.exit = { exitCode: code, signal: null };
    this.open = 0;
    this.finish();
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.exit = { exitCode: code ?? 128 + (signal ? SIGNAL_NUMBERS[signal] ?? 0 : 0), signal };
    // Whatever the command left running in its group (a `server &`) goes with it, and is waited for.
    const pid = this.child.pid;
    if (pid !== undefined && this.ownGroup && treeAlive(pid)) {
      this.reaping = true;
      this.stop();
      const poll = setInterval(() => {
        if (treeAlive(pid)) return;
        clearInterval(poll);
        this.reaping = false;
        this.finish();
      }, 20);
    }
    this.finish();
  }

  private finish(): void {
    const { exit, child } = this;
    if (exit && !this.reaping && this.open > 0) {
      // A process that left the group (setsid) may hold the pipes open forever: stop reading soon.
      this.lingerTimer ??= setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, 1000).unref();
    }
    if (!exit || this.open > 0 || this.reaping) return;
    clearTimeout(this.graceTimer);
    clearTimeout(this.lingerTimer);
    this.forget();
    if (child.pid !== undefined && this.ownGroup) this.request.onGroup?.(child.pid, false);
    this.release(true);
    this.resolve(exit);
  }

  private signal(name: "SIGTERM" | "SIGKILL"): void {
    const { pid } = this.child;
    if (pid === undefined) return;
    if (this.ownGroup) signalTree(pid, name);
    else this.child.kill(name);
  }

  private readonly kill = () => this.signal("SIGKILL");

  private readonly stop = () => {
    if (this.child.pid === undefined) return;
    this.signal("SIGTERM");
    this.graceTimer ??= setTimeout(this.kill, this.request.graceMs);
    this.graceTimer.unref?.();
  };

  private forget(): void {
    this.forgetStop?.();
    this.forgetKill?.();
  }

  // Once per command, though what ends it may be told twice.
  private release(started: boolean): void {
    if (this.holding) ended(started);
    this.holding = false;
  }
}

/** Commands of this process that hold descriptors now. */
let running = 0;
/** Commands waiting for descriptors; each wakes at most once (false when it no longer waits). */
const waiting: (() => boolean)[] = [];
/** Tries without any command of mity running (nothing will give descriptors back) before giving up. */
const IDLE_TRIES = 6;

/**
 * A command has ended and closed its pipes: one waiting command may start (all, when none is left
 * running). One that could not start freed nothing: it wakes none while others run, or the waiting
 * commands would wake each other in turn without end.
 */
function ended(started: boolean): void {
  running--;
  if (!started && running > 0) return;
  do {
    const wake = waiting.shift();
    if (!wake) return;
    if (wake() && running > 0) return;
  } while (waiting.length > 0);
}

async function startWhenDescriptorsFree(request: CommandRequest, attempt: number, code: string): Promise<CommandExit> {
  if (attempt === 0) request.onDescriptorShortage?.();
  const idle = running === 0;
  if (idle && attempt >= IDLE_TRIES) {
    throw new Error(`mity cannot start the command: it is out of file descriptors (${code}) even with no other command running; raise the limit (ulimit -n)`);
  }
  let stopped = false;
  await new Promise<void>((resolve) => {
    let waited = false;
    let forget: (() => void) | undefined;
    const wake = () => {
      if (waited) return false;
      waited = true;
      forget?.();
      resolve();
      return true;
    };
    forget = request.onStop(() => {
      stopped = true;
      wake();
    });
    // With nothing running, descriptors held elsewhere (the run log, other code) may come back by themselves.
    if (idle) setTimeout(wake, 50 * 2 ** attempt);
    else waiting.push(wake);
  });
  // Stopped before it could start: as a command stopped at once.
  if (stopped) return { exitCode: 143, signal: "SIGTERM" };
  return runCommand(request, idle ? attempt + 1 : 1);
}
