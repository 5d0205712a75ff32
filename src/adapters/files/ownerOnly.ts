// DATA_DIR holds the embedded database and the development encryption key: only the user the
// server runs as may enter it. A folder made here is 0700; one found open to others is tightened
// with a warning. PGlite writes its own files with the process's default modes, which a 0700
// folder makes unreachable to anyone else.
import { chmod, mkdir, stat } from 'node:fs/promises';
import { ConfigError } from '../../config.js';

const GROUP_AND_OTHERS = 0o077;
// Windows has no POSIX modes: Node reports made-up ones there.
const POSIX_MODES = process.platform !== 'win32';

export async function ensureOwnerOnlyDir(dir: string, warn: (message: string) => void): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await tighten(dir, 'folder', warn);
}

/** A file that already exists (a key written by an older version) is tightened to the owner's bits. */
export async function ensureOwnerOnlyFile(file: string, warn: (message: string) => void): Promise<void> {
  await tighten(file, 'file', warn);
}

async function tighten(target: string, kind: 'folder' | 'file', warn: (message: string) => void): Promise<void> {
  if (!POSIX_MODES) return;
  const { mode } = await stat(target);
  if ((mode & GROUP_AND_OTHERS) === 0) return;
  const tightened = mode & 0o7777 & ~GROUP_AND_OTHERS;
  try {
    await chmod(target, tightened);
  } catch (err) {
    throw new ConfigError(
      `${target} is open to other users (mode ${octal(mode)}) and could not be made owner-only: ${(err as Error).message}`,
    );
  }
  warn(`${target} was open to other users (mode ${octal(mode)}); this ${kind} is now owner-only (${octal(tightened)})`);
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8)}`;
}
