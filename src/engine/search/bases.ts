// Which bases a search compares: the ones named, or every base usable without a download.
import { isAbsolute, relative, sep } from 'node:path';
import { CATALOG, kerasWeightsFile } from '../../shared/catalog';
import type { LoadedExperiment } from '../experiment/load';
import { OFFLINE_BASE } from '../models/defaultBase';
import { isCached } from '../models/cachedFile';
import type { BaseLoad } from './baseFeatures';

export interface Candidate extends BaseLoad {
  /** How the winner's experiment file names it (a model file in the experiment's folder relative to it). */
  written: string;
}

/** The experiment's own base, the shipped offline base, and every catalog base whose ImageNet weights are cached. */
async function availableBases(cacheDir: string): Promise<string[]> {
  const cached: string[] = [];
  for (const entry of CATALOG) {
    const file = entry.source.kind === 'keras' ? kerasWeightsFile(entry, entry.defaultInputSize, false) : undefined;
    if (file && (await isCached(file.url, cacheDir))) cached.push(entry.id);
  }
  return [OFFLINE_BASE, ...cached];
}

/** `refs` are catalog ids, URLs or absolute model paths (the client resolves relative ones). */
export async function searchCandidates(loaded: LoadedExperiment, refs: string[] | undefined, cacheDir: string, experimentDir: string): Promise<Candidate[]> {
  const chosen = refs?.length ? refs : [loaded.baseModelRef, ...(await availableBases(cacheDir))];
  const unique = [...new Set(chosen)];
  return unique.map((ref) => {
    const own = ref === loaded.baseModelRef;
    // a model file inside the experiment's folder is written relative to it (the folder can move); one outside, absolute
    const local = isAbsolute(ref) ? relative(experimentDir, ref) : undefined;
    const written = own ? loaded.experiment.base.model : local === undefined ? ref : local.startsWith('..') || isAbsolute(local) ? ref : `.${sep}${local}`;
    return { ref, own, written };
  });
}
