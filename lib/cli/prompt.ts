import { createInterface } from "node:readline/promises";

/** The terminal a `confirm` question is asked on. */
export interface PromptStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/**
 * A yes/no question on the terminal; no answer (empty line, end of input) is no. Ctrl-C is not an
 * answer: while the question reads the terminal, the terminal sends no SIGINT, so it is raised here and
 * the run stops as it would at any other moment (exit 130).
 */
export async function askYesNo(streams: PromptStreams, task: string, question: string): Promise<boolean> {
  const reader = createInterface({ input: streams.input, output: streams.output, terminal: true });
  const interrupted = new Promise<boolean>((resolve) =>
    reader.once("SIGINT", () => {
      streams.output.write("\n");
      // Answered only once the run has seen the signal, so the task ends as interrupted, not declined.
      process.once("SIGINT", () => resolve(false));
      process.kill(process.pid, "SIGINT");
    }),
  );
  const answered = reader.question(`? ${question} (${task}) [y/N] `).then(
    (answer) => /^\s*y(es)?\s*$/i.test(answer),
    () => false,
  );
  try {
    return await Promise.race([answered, interrupted]);
  } finally {
    reader.close();
  }
}
