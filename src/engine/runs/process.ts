// Whether a process recorded in a run (its training host, a checkpoint writer) still exists.

/** Signal 0 probes without signalling; EPERM means it exists but belongs to someone else. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
