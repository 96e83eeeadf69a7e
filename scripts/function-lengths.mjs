#!/usr/bin/env node
// The longest functions of lib/ in lines: `node scripts/function-lengths.mjs [folder] [--top N]`.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

const args = process.argv.slice(2);
const topAt = args.indexOf("--top");
const top = topAt === -1 ? 10 : Number(args[topAt + 1]);
const root = args.find((arg, i) => !arg.startsWith("--") && i !== topAt + 1) ?? "lib";

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
  const path = join(dir, entry.name);
  return entry.isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
});

/** A name for a function: its own, or the variable, property or class member it is assigned to. */
const nameOf = (node) => {
  const named = node.name ?? node.parent?.name;
  return named && ts.isIdentifier(named) ? named.text : named ? named.getText() : "(anonymous)";
};

const found = [];
for (const file of files(root)) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && "body" in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ lines: last - first + 1, where: `${relative(process.cwd(), file)}:${first + 1}`, name: nameOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
found.sort((a, b) => b.lines - a.lines);
for (const { lines, where, name } of found.slice(0, top)) console.log(`${String(lines).padStart(5)}  ${name}  ${where}`);
