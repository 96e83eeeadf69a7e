import { createInterface } from "node:readline/promises";

/** The terminal a `confirm` question is asked on. */
export interface PromptStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/** A yes/no question on the terminal; no answer (empty line, end of input) is no. */
export async function askYesNo(streams: PromptStreams, task: string, question: string): Promise<boolean> {
  const reader = createInterface({ input: streams.input, output: streams.output, terminal: true });
  try {
    const answer = await reader.question(`? ${question} (${task}) [y/N] `);
    return /^\s*y(es)?\s*$/i.test(answer);
  } catch {
    return false;
  } finally {
    reader.close();
  }
}
