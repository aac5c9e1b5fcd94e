// Which base-model references are safe to load in Restricted Mode. No vscode import: unit-tested.
import { findCatalogEntry } from '../engine/models/catalog';

/** Models shipped inside the extension (the offline catalog entries) load anywhere; files and downloads need trust. */
export function modelNeedsTrust(ref: string): boolean {
  return findCatalogEntry(ref)?.source.kind !== 'nsfwjs';
}
