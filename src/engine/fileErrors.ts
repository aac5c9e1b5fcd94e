// File-system failures said the way users need them: the path, what went wrong in words, and what to do about it,
// instead of "EACCES: permission denied, open …". The host and the CLI pass every error they report through here.

const EXPLAINED: Record<string, string> = {
  ENOENT: 'no such file or folder — check the path',
  EACCES: 'permission denied — choose a location you may write to, or change its permissions',
  EPERM: 'not permitted — choose a location you may write to, or change its permissions',
  ENOSPC: 'the disk is full — free some space or choose another disk, then try again',
  EDQUOT: 'your disk quota is used up — free some space, then try again',
  EROFS: 'is on a read-only file system — choose another location',
  EISDIR: 'is a folder where a file was expected — give a file path',
  ENOTDIR: 'part of this path is a file, not a folder — check the path',
  EMFILE: 'too many files are open — close other programs (or raise `ulimit -n`), then try again',
};

/** The message to show for any error: file-system errors become "<path>: <what> — <fix>"; others keep theirs. */
export function userMessage(error: unknown): string {
  const { code, path, dest } = (error ?? {}) as NodeJS.ErrnoException & { dest?: string };
  const explained = code !== undefined && EXPLAINED[code];
  if (explained && path) return `${dest ? `${path} → ${dest}` : path}: ${explained}`;
  return error instanceof Error ? error.message : String(error);
}
