// `npm start` runs scripts/buildIfChanged.mjs before the server: a restart with nothing changed must
// compile nothing. The script runs here in a scratch project whose tsc and vite are stand-ins that
// record each call, so the test sees exactly which part was rebuilt and why.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let project: string;

/** A stand-in compiler: records its name and writes the output the real one would. */
function standIn(name: string, output: string): void {
  const file = path.join(project, 'node_modules', '.bin', name);
  writeFileSync(
    file,
    `#!/bin/sh\necho ${name} >> "${path.join(project, 'calls.log')}"\nmkdir -p "$(dirname "${output}")"\ntouch "${output}"\n`,
  );
  chmodSync(file, 0o755);
}

function build(...parts: string[]): string[] {
  rmSync(path.join(project, 'calls.log'), { force: true });
  execFileSync(process.execPath, [path.join(project, 'scripts', 'buildIfChanged.mjs'), ...parts], { cwd: project });
  try {
    return readFileSync(path.join(project, 'calls.log'), 'utf8').trim().split('\n');
  } catch {
    return [];
  }
}

beforeEach(() => {
  project = mkdtempSync(path.join(tmpdir(), 'alphadome-build-'));
  for (const folder of ['scripts', 'src', 'dashboard/src', 'node_modules/.bin']) {
    mkdirSync(path.join(project, folder), { recursive: true });
  }
  copyFileSync(path.resolve('scripts/buildIfChanged.mjs'), path.join(project, 'scripts', 'buildIfChanged.mjs'));
  for (const file of [
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'src/main.ts',
    'dashboard/src/main.tsx',
  ]) {
    writeFileSync(path.join(project, file), `// ${file}\n`);
  }
  standIn('tsc', path.join(project, 'dist', 'main.js'));
  standIn('vite', path.join(project, 'dist', 'dashboard', 'index.html'));
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('buildIfChanged', () => {
  it('builds both parts once, then nothing until an input changes', () => {
    expect(build()).toEqual(['tsc', 'vite']);
    expect(build()).toEqual([]);
    writeFileSync(path.join(project, 'dashboard/src/main.tsx'), '// changed\n');
    expect(build()).toEqual(['vite']);
    writeFileSync(path.join(project, 'src/new.ts'), 'export {};\n');
    expect(build()).toEqual(['tsc']);
    writeFileSync(path.join(project, 'package-lock.json'), '{}\n');
    expect(build()).toEqual(['tsc', 'vite']);
  });

  it('rebuilds a part whose output is missing even when its inputs are unchanged', () => {
    build();
    rmSync(path.join(project, 'dist', 'main.js'));
    expect(build()).toEqual(['tsc']);
  });

  it('builds only the part it is asked for', () => {
    expect(build('dashboard')).toEqual(['vite']);
    expect(build('server', 'dashboard')).toEqual(['tsc']);
  });

  it('stops with the compiler exit code when a build fails, and rebuilds next time', () => {
    writeFileSync(path.join(project, 'node_modules', '.bin', 'tsc'), '#!/bin/sh\nexit 3\n');
    expect(() => build('server')).toThrow(expect.objectContaining({ status: 3 }));
    standIn('tsc', path.join(project, 'dist', 'main.js'));
    expect(build('server')).toEqual(['tsc']);
  });
});
