// Whether a base reference names a Hugging Face model (kept apart from the downloader so the extension can ask cheaply).
const MODEL_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;

/** "hf:owner/name" or "owner/name" (not an existing folder) names a model on the hub. */
export function hubModelId(ref: string): string | undefined {
  const id = ref.startsWith('hf:') ? ref.slice(3) : ref;
  return MODEL_ID.test(id) && !id.includes('..') ? id : undefined;
}
