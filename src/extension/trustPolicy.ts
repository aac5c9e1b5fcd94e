// Which base models may be loaded in Restricted Mode. No vscode import: unit-tested.
import { findCatalogEntry } from '../shared/catalog';
import { isTextExperiment, type AnyExperiment } from '../protocol/experiment';

/** Models shipped inside the extension (the offline catalog entries) load anywhere; files and downloads need trust. */
export function modelNeedsTrust(ref: string): boolean {
  return findCatalogEntry(ref)?.source.kind !== 'nsfwjs';
}

/** Why the Layers view may not inspect this experiment's base model, or undefined when it may. */
export function inspectRefusal(experiment: AnyExperiment, trusted: boolean): string | undefined {
  // no BERT ships with the extension: a text base is always a folder or a download
  if (trusted || (!isTextExperiment(experiment) && !modelNeedsTrust(experiment.base.model))) return undefined;
  return `Restricted Mode: this experiment's base model (${experiment.base.model}) is a file or a download named by the workspace, not a model shipped with Transfer Lab. Trust this workspace to inspect its layers.`;
}
