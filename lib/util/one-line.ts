/**
 * A command as one line, for a `$ command` line, a failure reason or a title: its first line, and " …"
 * when more follow, so that no line of it appears without the task it belongs to.
 */
export function oneLine(command: string): string {
  const text = command.trim();
  const end = text.search(/\r?\n/);
  return end === -1 ? text : `${text.slice(0, end).trimEnd()} …`;
}
