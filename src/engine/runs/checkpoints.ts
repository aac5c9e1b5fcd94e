// Checkpoints under runDir/checkpoints/<tag>/, published by renaming a complete folder into place, so a kill
// at any instant leaves every previously complete checkpoint readable.
import { promises as fs } from 'node:fs';
import { join, relative } from 'node:path';
import { fsyncDirectory, renameWithRetry } from './atomic';
import { CHECKPOINTS_DIR } from '../../shared/runLayout';
import {
  CheckpointError, CheckpointMeta, CheckpointTensor, LoadedCheckpoint, loadCheckpoint, readManifest,
  writeCheckpointFiles,
} from './checkpointFiles';
import { cleanCheckpointLeftovers, removeFolder, whileInUse, workFolder } from './checkpointLeftovers';

export const BEST_TAG = 'best';
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const EPOCH_TAG = /^epoch-(\d+)-(\d+)$/;

/** e.g. epoch-1-0003: phase index, then epoch zero-padded so tags also sort by name. */
export function epochCheckpointTag(phaseIndex: number, epoch: number): string {
  return `epoch-${phaseIndex}-${String(epoch).padStart(4, '0')}`;
}

export async function saveCheckpoint(
  runDir: string, tag: string, tensors: readonly CheckpointTensor[], meta: CheckpointMeta, now = new Date(),
): Promise<string> {
  if (!TAG_PATTERN.test(tag)) {
    throw new RangeError(`checkpoint tag "${tag}" must be letters, digits, '_', '-' or '.', not starting with '.'`);
  }
  const checkpointsDir = join(runDir, CHECKPOINTS_DIR);
  const finalDir = join(checkpointsDir, tag);
  const tempDir = workFolder(checkpointsDir, 'tmp', tag);
  await fs.mkdir(checkpointsDir, { recursive: true });
  await whileInUse(tempDir, async () => {
    try {
      await fs.mkdir(tempDir);
      await writeCheckpointFiles(tempDir, tag, tensors, meta, now);
      await publish(checkpointsDir, tempDir, finalDir, tag);
    } catch (error) {
      await fs.rm(tempDir, { recursive: true, force: true });
      throw error;
    }
  });
  return finalDir;
}

/** Renames the complete temp folder to its tag; a previous folder of that tag is set aside first, then deleted. */
async function publish(checkpointsDir: string, tempDir: string, finalDir: string, tag: string): Promise<void> {
  const aside = workFolder(checkpointsDir, 'old', tag);
  await whileInUse(aside, async () => {
    const replacing = await renameWithRetry(finalDir, aside).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return false;
        throw error;
      },
    );
    try {
      await renameWithRetry(tempDir, finalDir);
    } catch (error) {
      if (replacing) await renameWithRetry(aside, finalDir);
      throw error;
    }
    await fsyncDirectory(checkpointsDir);
    if (replacing) await fs.rm(aside, { recursive: true, force: true });
  });
}

interface EpochCheckpoint {
  tag: string;
  dir: string;
  /** from the manifest, or from the tag when the manifest is unreadable; -1 when neither tells */
  phaseIndex: number;
  epoch: number;
}

/** Epoch checkpoints (every published tag except best), newest first by phase index, then epoch. */
async function listEpochCheckpoints(checkpointsDir: string): Promise<EpochCheckpoint[]> {
  const entries = await fs.readdir(checkpointsDir, { withFileTypes: true }).catch((error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  const tags = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== BEST_TAG);
  const found = await Promise.all(
    tags.map(async ({ name: tag }): Promise<EpochCheckpoint> => {
      const dir = join(checkpointsDir, tag);
      try {
        const { phaseIndex, epoch } = await readManifest(dir);
        return { tag, dir, phaseIndex, epoch };
      } catch (error) {
        if (!(error instanceof CheckpointError)) throw error;
        const fromTag = EPOCH_TAG.exec(tag);
        return { tag, dir, phaseIndex: fromTag ? Number(fromTag[1]) : -1, epoch: fromTag ? Number(fromTag[2]) : -1 };
      }
    }),
  );
  return found.sort((a, b) => b.phaseIndex - a.phaseIndex || b.epoch - a.epoch || (a.tag < b.tag ? 1 : -1));
}

/**
 * The newest epoch checkpoint that verifies, or null. Each newer one that fails is reported through warn,
 * naming its bad file. Also cleans work folders left by a killed process.
 */
export async function latestGoodCheckpoint(
  runDir: string, warn: (message: string) => void,
): Promise<LoadedCheckpoint | null> {
  const checkpointsDir = join(runDir, CHECKPOINTS_DIR);
  await cleanCheckpointLeftovers(checkpointsDir);
  const skipped: CheckpointError[] = [];
  let good: LoadedCheckpoint | null = null;
  for (const candidate of await listEpochCheckpoints(checkpointsDir)) {
    try {
      good = await loadCheckpoint(candidate.dir);
      break;
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      skipped.push(error);
    }
  }
  const outcome = good ? `resuming from ${good.manifest.tag}` : 'no earlier checkpoint verifies';
  for (const error of skipped) warn(`${relative(runDir, error.file)} is corrupt (${error.reason}); ${outcome}`);
  return good;
}

/** Deletes all but the newest `keep` epoch checkpoints (best is always kept); returns the deleted tags. */
export async function pruneCheckpoints(runDir: string, keep = 2): Promise<string[]> {
  if (!Number.isInteger(keep) || keep < 0) throw new RangeError(`keep must be a whole number >= 0, got ${keep}`);
  const checkpointsDir = join(runDir, CHECKPOINTS_DIR);
  await cleanCheckpointLeftovers(checkpointsDir);
  const doomed = (await listEpochCheckpoints(checkpointsDir)).slice(keep);
  for (const { dir, tag } of doomed) await removeFolder(checkpointsDir, dir, tag);
  return doomed.map(({ tag }) => tag);
}
