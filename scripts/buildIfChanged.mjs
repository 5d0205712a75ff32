#!/usr/bin/env node
// Builds the server (tsc) and the dashboard (Vite) only when their inputs changed since the last build,
// so `npm start` after a restart with nothing changed costs a hash of the sources, not a minute of
// compiling. Each part keeps the hash of its inputs in a stamp file inside dist/; a missing output or a
// different hash rebuilds that part. Usage: node scripts/buildIfChanged.mjs [server] [dashboard]
// (both when no part is named). Plain JavaScript: it runs before anything is compiled.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shared = ['package-lock.json', 'tsconfig.json'];

const parts = {
  server: {
    inputs: ['src', 'tsconfig.build.json', ...shared],
    output: 'dist/main.js',
    command: ['tsc', '-p', 'tsconfig.build.json'],
  },
  dashboard: {
    inputs: ['dashboard', ...shared],
    output: 'dist/dashboard/index.html',
    command: ['vite', 'build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn'],
  },
};

/** Every file under the inputs, in a stable order, hashed by path and content. */
function hashInputs(inputs) {
  const hash = createHash('sha256');
  const visit = (relative) => {
    const absolute = path.join(root, relative);
    if (!existsSync(absolute)) return;
    if (statSync(absolute).isDirectory()) {
      for (const name of readdirSync(absolute).sort()) visit(path.join(relative, name));
      return;
    }
    hash.update(relative).update('\0').update(readFileSync(absolute)).update('\0');
  };
  for (const input of inputs) visit(input);
  return hash.digest('hex');
}

const requested = process.argv.slice(2);
const names = requested.length > 0 ? requested : Object.keys(parts);
for (const name of names) {
  const part = parts[name];
  if (!part) {
    console.error(`unknown part "${name}"; expected one of ${Object.keys(parts).join(', ')}`);
    process.exit(2);
  }
  const stampFile = path.join(root, 'dist', `.${name}-build-hash`);
  const digest = hashInputs(part.inputs);
  const fresh =
    existsSync(path.join(root, part.output)) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest;
  if (fresh) continue;
  const [command, ...args] = part.command;
  const binary = path.join(root, 'node_modules', '.bin', command);
  const result = spawnSync(binary, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  mkdirSync(path.dirname(stampFile), { recursive: true });
  writeFileSync(stampFile, digest);
}
