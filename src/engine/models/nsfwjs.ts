// The Keras-origin Layers checkpoints shipped inside the nsfwjs package: the only pre-trained weights available offline.
import path from 'node:path';
import type { NsfwjsModelName } from '../../shared/catalogTypes';
import { ModelError } from './errors';
import { LayersArtifacts, ModelJson, checkLayersModelJson, checkWeightPath, toArtifacts } from './layersFiles';

export type { NsfwjsModelName };

/** nsfwjs' package.json is not exported, so the models folder is found from its main entry (dist/cjs/index.js). */
export function nsfwjsModelFolder(name: NsfwjsModelName): string {
  return path.join(require.resolve('nsfwjs'), '../../models', name);
}

/** Each file is a UMD module exporting the model.json object or one shard as base64; dropped from the require cache after use. */
function requireOnce(file: string): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- nsfwjs ships its weights as UMD modules
    return require(file);
  } catch (error) {
    throw new ModelError('cannot be loaded', file, 'Reinstall dependencies (npm ci): the nsfwjs package looks incomplete', { cause: error });
  } finally {
    delete require.cache[file];
  }
}

export function readNsfwjsModel(name: NsfwjsModelName): LayersArtifacts {
  const folder = nsfwjsModelFolder(name);
  const jsonFile = path.join(folder, 'model.min.js');
  const json = requireOnce(jsonFile) as ModelJson;
  checkLayersModelJson(json, jsonFile);
  const shards = json.weightsManifest.flatMap((group) => group.paths).map((weightPath) => {
    const shardFile = path.join(folder, `${checkWeightPath(weightPath, jsonFile)}.min.js`);
    return Buffer.from(requireOnce(shardFile) as string, 'base64');
  });
  return toArtifacts(json, jsonFile, shards);
}
