// Writes a run as a Python script or notebook, plus the base's .keras file when keras.applications cannot build it.
import path from 'node:path';
import { writeKerasArchive } from '../../models/keras/exportKeras3';
import { modelArtifacts } from '../../models/layersFiles';
import { writeFileAtomic } from '../../runs/atomic';
import { notebook } from './notebook';
import { scriptPlan, type ScriptPlan } from './plan';
import { pythonScript, scriptSections } from './python';

export interface WrittenScript {
  file: string;
  /** The base's .keras file written beside it, when the script loads one. */
  baseFile?: string;
  plan: ScriptPlan;
}

export async function writeTrainingScript(runDir: string, file: string, format: 'keras-script' | 'notebook', cacheDir: string): Promise<WrittenScript> {
  const baseFile = file.replace(/\.(py|ipynb)$/i, '') + '.base.keras';
  const { plan, baseModel } = await scriptPlan(runDir, cacheDir, path.basename(baseFile));
  try {
    if (plan.base.kind === 'file') await writeKerasArchive(await modelArtifacts(baseModel), baseFile);
  } finally {
    baseModel.dispose();
  }
  const sections = scriptSections(plan, path.basename(runDir));
  await writeFileAtomic(file, format === 'notebook' ? `${JSON.stringify(notebook(sections), null, 1)}\n` : pythonScript(sections));
  return { file, baseFile: plan.base.kind === 'file' ? baseFile : undefined, plan };
}
