// Experiment files before version 2 used the old catalog ids, where `mobilenet_v2` and `inception_v3` were the
// nsfwjs checkpoints and the ImageNet builds were `mobilenet_v2_1.0` and `inception_v3_imagenet`. Version 2 uses the
// ids Keras users expect. A file without "version" keeps its meaning: its base.model is read under its new name,
// with a one-line note (CLI, run log, and a warning with a quick fix in the editor).

/** The version experiment files are written with now. */
export const EXPERIMENT_VERSION = 2;

/** Old id → the id that means the same base in version 2. */
const RENAMED: Readonly<Record<string, string>> = {
  mobilenet_v2: 'nsfwjs_mobilenet_v2',
  inception_v3: 'nsfwjs_inception_v3',
  'mobilenet_v2_1.0': 'mobilenet_v2',
  inception_v3_imagenet: 'inception_v3',
};

export interface BaseRename {
  from: string;
  to: string;
}

/** The rename an experiment (parsed JSON, not yet validated) needs: an image experiment of version 1 naming an old id. */
export function legacyBaseRename(value: unknown): BaseRename | undefined {
  const experiment = value as { version?: unknown; data?: { kind?: unknown }; base?: { model?: unknown } } | null;
  if (typeof experiment !== 'object' || experiment === null || (experiment.version ?? 1) !== 1 || experiment.data?.kind === 'text') return undefined;
  const from = experiment.base?.model;
  return typeof from === 'string' && Object.hasOwn(RENAMED, from) ? { from, to: RENAMED[from] } : undefined;
}

export function renameNote(rename: BaseRename): string {
  return `base.model "${rename.from}" is now called "${rename.to}" (this file has no "version": written before the catalog rename); set "model": "${rename.to}" and "version": ${EXPERIMENT_VERSION} to silence this note`;
}

/** An id that no longer exists (a setting saved before the rename) under its new name; other ids unchanged. */
export function currentCatalogId(id: string): string {
  return id === 'mobilenet_v2_1.0' || id === 'inception_v3_imagenet' ? RENAMED[id] : id;
}
