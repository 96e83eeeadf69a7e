import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { Graph } from "../graph/graph.js";
import { reportHtml } from "../history/html-page.js";
import { findRun, readRecord, runsFolder } from "../history/store.js";
import { MityError } from "../util/errors.js";
import { writeAtomically } from "../util/files.js";
import { EXIT, type CliIO } from "./io.js";

/** `mity --report [run]`: writes `.mity/reports/<run>.html` for a recorded run and prints its path. */
export function reportCommand(graph: Graph, wanted: string, cwd: string, io: CliIO): number {
  const dir = runsFolder(graph.root);
  const id = findRun(dir, wanted);
  const record = readRecord(dir, id);
  if (!record) throw new MityError(`the record of run ${id} in ${dir} cannot be read (damaged, or written by another version of mity)`);
  const reports = join(dir, "..", "reports");
  mkdirSync(reports, { recursive: true });
  const path = join(reports, `${id}.html`);
  writeAtomically(path, reportHtml(record));
  const shown = relative(cwd, path);
  io.stdout.write(`${shown.startsWith("..") ? path : shown}\n`);
  return EXIT.ok;
}
