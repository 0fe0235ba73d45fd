/** What a system error code means, said for a person. */
const MEANING: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on device',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the name is too long',
};

/** The action a failing system call was taking. */
const ACTION: Readonly<Record<string, string>> = {
  open: 'cannot open',
  write: 'cannot write',
  read: 'cannot read',
  mkdir: 'cannot create the folder',
  rename: 'cannot move',
  unlink: 'cannot delete',
  rmdir: 'cannot delete the folder',
  scandir: 'cannot list',
  stat: 'cannot read',
  lstat: 'cannot read',
  access: 'cannot reach',
  copyfile: 'cannot copy',
};

/**
 * A Node.js system error (an `ENOENT` from `open`, an `EADDRINUSE` from `listen`) as one line
 * saying what failed and where; undefined for anything else.
 *
 * @example
 * ```ts
 * systemErrorLine(Object.assign(new Error('…'), { code: 'ENOENT', syscall: 'open', path: '/no/x.csv' }))
 * // 'cannot open /no/x.csv: no such file or folder'
 * ```
 */
export function systemErrorLine(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (!(error instanceof Error) || typeof e.code !== 'string' || typeof e.syscall !== 'string')
    return undefined;
  if (e.code === 'EADDRINUSE' || e.code === 'EADDRNOTAVAIL') {
    const where = `${e.address ?? ''}${e.port !== undefined ? `:${e.port}` : ''}`;
    return e.code === 'EADDRINUSE'
      ? `cannot listen on ${where}: the port is in use (choose another with --port)`
      : `cannot listen on ${where}: the address is not on this machine`;
  }
  const meaning = MEANING[e.code] ?? e.message.replace(/^[A-Z]+: /, '').replace(/, \w+ .*$/, '');
  const action = ACTION[e.syscall] ?? `${e.syscall} failed on`;
  return e.path ? `${action} ${e.path}: ${meaning}` : `${action}: ${meaning}`;
}
