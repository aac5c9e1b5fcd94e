// Validates experiment files against the JSON Schema the editor also uses, with errors that name the field and the fix.
import Ajv, { type ErrorObject } from 'ajv';
import schema from '../../protocol/experiment.schema.json';
import type { Experiment } from '../../protocol/experiment';

export class ExperimentError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.length === 1 ? problems[0] : `\n  - ${problems.join('\n  - ')}`}`);
    this.name = 'ExperimentError';
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validateSchema = ajv.compile<Experiment>(schema);

const TRAINABLE_FORMS = '{"none": true}, {"all": true}, {"topLayers": N}, {"topBlocks": N}, {"fromLayer": "name"}, {"names": [..]} or {"range": [from, to]}';

function field(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.').replace(/\.(\d+)/g, '[$1]');
  return path || '(top level)';
}

function describe(error: ErrorObject): string {
  const where = field(error);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${where}: missing "${p.missingProperty}" — add it (see the schema's description in your editor)`;
    case 'additionalProperties':
      return `${where}: unknown field "${p.additionalProperty}" — remove it or check its spelling`;
    case 'enum':
      return `${where}: must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${where}: must be ${p.type}`;
    case 'anyOf':
      return where === 'data' ? 'data: give "root" (a folder of class folders) or "train" (and optionally "val", "test")' : `${where}: ${error.message}`;
    default:
      return `${where}: ${error.message}`;
  }
}

/** Collapses the oneOf noise for `trainable` into one line listing its forms. */
function summarize(errors: ErrorObject[]): string[] {
  const lines = new Set<string>();
  for (const error of errors) {
    const trainable = error.instancePath.match(/^(\/phases\/\d+\/trainable)/);
    if (trainable) {
      lines.add(`${field({ ...error, instancePath: trainable[1] })}: must be one of ${TRAINABLE_FORMS}`);
    } else if (error.keyword !== 'if') {
      lines.add(describe(error));
    }
  }
  return [...lines];
}

/** Returns the experiment with defaults filled in, or throws ExperimentError naming every bad field. */
export function validateExperiment(value: unknown, file: string): Experiment {
  const copy = JSON.parse(JSON.stringify(value ?? null));
  if (!validateSchema(copy)) throw new ExperimentError(file, summarize(validateSchema.errors ?? []));
  return copy;
}
