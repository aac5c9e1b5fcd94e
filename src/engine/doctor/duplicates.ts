// Groups of the same picture: identical files (one content hash) and near copies (resized, re-compressed: features
// closer than a threshold), joined transitively. A group that spans train and val/test is leakage and comes first.
import type { DoctorSplit, DuplicateGroup } from '../../protocol/host';

export interface DoctorItem {
  file: string;
  hash: string;
  split: DoctorSplit;
}

class DisjointSets {
  private readonly parent: number[];
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]];
    return i;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
}

/** `pairs` are [i, j, cosine similarity] of near items (any order); identical hashes are joined whatever their features. */
export function duplicateGroups(items: readonly DoctorItem[], pairs: readonly [number, number, number][]): DuplicateGroup[] {
  const sets = new DisjointSets(items.length);
  const firstOfHash = new Map<string, number>();
  items.forEach((item, i) => {
    const first = firstOfHash.get(item.hash);
    if (first === undefined) firstOfHash.set(item.hash, i);
    else sets.union(first, i);
  });
  const weakest = new Map<number, number>();
  for (const [i, j] of pairs) sets.union(i, j);
  for (const [i, j, similarity] of pairs) {
    if (items[i].hash === items[j].hash) continue;
    const root = sets.find(i);
    weakest.set(root, Math.min(weakest.get(root) ?? 1, similarity));
  }
  const members = new Map<number, number[]>();
  items.forEach((_, i) => {
    const root = sets.find(i);
    if (!members.has(root)) members.set(root, []);
    members.get(root)!.push(i);
  });
  const groups: DuplicateGroup[] = [];
  for (const [root, rows] of members) {
    if (rows.length < 2) continue;
    const sorted = rows.map((i) => items[i]).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const splits = sorted.map((item) => item.split);
    const exact = new Set(sorted.map((item) => item.hash)).size === 1;
    groups.push({
      kind: exact ? 'exact' : 'near', files: sorted.map((item) => item.file), splits,
      similarity: exact ? 1 : weakest.get(root) ?? 1, leakage: splits.includes('train') && splits.some((split) => split !== 'train'),
    });
  }
  return groups.sort((a, b) => Number(b.leakage) - Number(a.leakage) || b.similarity - a.similarity || (a.files[0] < b.files[0] ? -1 : 1));
}
