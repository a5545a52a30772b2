#!/usr/bin/env node
// Runs the TextMate grammar tests (`node scripts/test-grammars.mjs`, the "grammar" stage
// of `npm test`): every test/grammar/*.test.* file against the grammars in syntaxes/,
// with vscode-tmgrammar-test (https://github.com/PanAeon/vscode-tmgrammar-test).
// A test file starts with `# SYNTAX TEST "<scope>"` and puts `^` / `<-` assertions
// under its lines. Exits non-zero when an assertion fails or a grammar does not load.
//
// The grammars come from test/grammar/grammars.json (the package.json `contributes`
// shape, paths relative to that folder), so the tests do not depend on what
// package.json contributes; when package.json does contribute these languages, its
// entries must agree with grammars.json (checked here).
// Plain Node with no dependencies beyond the installed test tool.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const configPath = 'test/grammar/grammars.json';
const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
const problems = [];

// Every grammar named in the configuration must exist, parse as JSON and declare its scope.
for (const g of config.contributes.grammars) {
  const file = path.join('test/grammar', g.path);
  if (!fs.existsSync(file)) {
    problems.push(`${configPath}: grammar ${g.path} does not exist`);
    continue;
  }
  let grammar;
  try {
    grammar = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`${file}: not valid JSON: ${e instanceof Error ? e.message : e}`);
    continue;
  }
  if (grammar.scopeName !== g.scopeName) {
    problems.push(`${file}: scopeName is "${grammar.scopeName}", ${configPath} says "${g.scopeName}"`);
  }
}
for (const l of config.contributes.languages) {
  const file = path.join('test/grammar', l.configuration);
  if (!fs.existsSync(file))
    problems.push(`${configPath}: language configuration ${l.configuration} does not exist`);
  else {
    try {
      const lc = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (lc.comments?.lineComment !== '#') problems.push(`${file}: lineComment should be "#"`);
      // VS Code compiles wordPattern as a JavaScript RegExp
      if (lc.wordPattern !== undefined) new RegExp(lc.wordPattern);
    } catch (e) {
      problems.push(`${file}: ${e instanceof Error ? e.message : e}`);
    }
  }
}

// package.json, once it contributes these languages, must say the same thing (paths relative to the root).
const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const strip = (p) => path.normalize(p);
for (const g of config.contributes.grammars) {
  const entry = (pkg.contributes?.grammars ?? []).find((x) => x.language === g.language);
  if (!entry) continue;
  const expected = path.join('test/grammar', g.path);
  if (entry.scopeName !== g.scopeName || strip(entry.path) !== strip(expected)) {
    problems.push(
      `package.json: grammar for "${g.language}" is ${JSON.stringify(entry)}, expected scopeName "${g.scopeName}" and path "./${expected}"`,
    );
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(`[grammar] ${p}`);
  process.exit(1);
}

const tests = fs
  .readdirSync('test/grammar')
  .filter((f) => /\.test\.[^.]+$/.test(f))
  .sort()
  .map((f) => path.join('test/grammar', f));
if (tests.length === 0) {
  console.error('[grammar] no test files in test/grammar');
  process.exit(1);
}

const tool = path.join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
if (!fs.existsSync(tool)) {
  console.error('[grammar] vscode-tmgrammar-test is not installed (npm ci)');
  process.exit(1);
}
const r = spawnSync(process.execPath, [tool, '--config', configPath, ...tests], {
  stdio: 'inherit',
  cwd: root,
});
if (r.error) throw r.error;
console.log(`[grammar] ${tests.length} test files: ${r.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(r.status === 0 ? 0 : 1);
