import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { JWK } from 'jose';

export const keyFileMode = 0o600;

/**
 * Writes a key file so that readers see the old file or the new one, never a
 * torn one: the keys go to a private temporary file in the same directory,
 * which is flushed and then renamed over the file (`replace`) or hard-linked to
 * its name (no `replace`: linking fails if the name exists, so a key file is
 * never overwritten by accident). Returns false when the file already existed
 * and was left alone.
 */
export async function writeKeyFile(
  file: string,
  keys: readonly JWK[],
  options: { replace: boolean },
): Promise<boolean> {
  const directory = dirname(file);
  const temporary = join(
    directory,
    `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await open(temporary, 'wx', keyFileMode);
  let placed = false;
  try {
    try {
      // open's mode is narrowed by the umask; the file must be exactly 0600.
      await handle.chmod(keyFileMode);
      await handle.writeFile(`${JSON.stringify({ keys }, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.replace) {
      await rename(temporary, file);
      placed = true;
    } else {
      try {
        await link(temporary, file);
        placed = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    await syncDirectory(directory);
    return placed;
  } finally {
    if (!(placed && options.replace)) await unlink(temporary).catch(() => {});
  }
}

// Without this a crash right after the rename could bring back the old file.
async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch {
    // Some filesystems cannot fsync a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}
