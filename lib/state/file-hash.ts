import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from "node:fs";
import type { FileEntry } from "./files.js";
import { isAbsence } from "./listing.js";
import type { Pacer } from "./pace.js";

/** Read in slices, so a file of any size is hashed in bounded memory and the run can pause between them. */
const SLICE = 1 << 20;
/**
 * Beyond this size reading the whole file on each change costs seconds: such a file is known by where
 * it is and when it last changed (device, inode, size, modification and change times) instead.
 */
export const CONTENT_LIMIT = 256 * SLICE;
// Shared by every hash: each slice is read and hashed with no pause in between.
let buffer: Buffer | undefined;

/**
 * Fingerprints a regular file by its content; undefined when there is no such file, or it is not a
 * regular file (never opened then: opening a FIFO waits for a writer). A file whose size and time
 * are what `known` recorded keeps its recorded hash unread, at once: only a read returns a promise.
 * Throws when the file cannot be read.
 */
export function fingerprintFile(path: string, known: FileEntry | undefined, pacer: Pacer): FileEntry | undefined | Promise<FileEntry | undefined> {
  let stat;
  try {
    stat = statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if (isAbsence(error)) return undefined;
    throw error;
  }
  if (!stat?.isFile()) return undefined;
  if (stat.size > CONTENT_LIMIT) return { size: stat.size, mtimeMs: stat.mtimeMs, hash: identityOf(stat) };
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known;
  return hashFile(path, pacer);
}

/** A big file's stand-in for a content hash: any write, replacement or `touch` changes it. */
const identityOf = (stat: Stats) => `stat:${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;

async function hashFile(path: string, pacer: Pacer): Promise<FileEntry | undefined> {
  let fd: number;
  try {
    // Non-blocking, in case it was replaced by a FIFO since the stat: checked again below, on what was opened.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (isAbsence(error)) return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return undefined;
    const hash = createHash("sha256");
    buffer ??= Buffer.allocUnsafe(SLICE);
    for (let read = readSync(fd, buffer, 0, SLICE, null); read > 0; read = readSync(fd, buffer, 0, SLICE, null)) {
      hash.update(buffer.subarray(0, read));
      if (pacer.due()) await pacer.pause();
    }
    return { size: stat.size, mtimeMs: stat.mtimeMs, hash: hash.digest("hex") };
  } catch (error) {
    // A read error names no file by itself.
    throw Object.assign(error as NodeJS.ErrnoException, { path });
  } finally {
    closeSync(fd);
  }
}
