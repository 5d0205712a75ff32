// PGlite does not lock its folder, and a second process on it loses its writes silently.
// The lock file holds the owner's PID: a lock left by a killed process (SIGKILL, power loss)
// is taken over at once, while a live owner makes the second start fail with a clear error.
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError';
}

export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, 'alphadome.pid');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new DatabaseLockedError(
          `Another server (pid ${owner}) is already using the embedded database in ${dir}. Stop it, or set DATA_DIR to another folder (or DATABASE_URL to share PostgreSQL).`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new DatabaseLockedError(`Could not take the lock on ${dir}; another server may be starting on it`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
