// Keras' own download cache: a user who ran keras.applications already has the ImageNet files in
// $KERAS_HOME/models (default ~/.keras/models), named as in the download URL. Using them saves a download.
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { KerasWeightsFile } from '../../shared/catalogTypes';
import { hashFile } from '../net/download';

/** Keras' rule: $KERAS_HOME when set, else ~/.keras; its downloads go to `models/` inside. */
export function kerasModelsDir(): string {
  return path.join(process.env.KERAS_HOME ?? path.join(homedir(), '.keras'), 'models');
}

/** The file in Keras' cache, when there and (where Keras publishes a hash) intact; else undefined. */
export async function findInKerasCache(file: KerasWeightsFile): Promise<string | undefined> {
  const candidate = path.join(kerasModelsDir(), path.posix.basename(new URL(file.url).pathname));
  if (!(await fs.stat(candidate).then((s) => s.isFile(), () => false))) return undefined;
  if (file.fileHash && (await hashFile(candidate, file.fileHash.length === 64 ? 'sha256' : 'md5')) !== file.fileHash.toLowerCase()) return undefined;
  return candidate;
}
