// Validates experiment files against the JSON Schema the editor also uses, with errors that name the field and the fix.
import Ajv, { type ErrorObject } from 'ajv';
import schema from '../../protocol/experiment.schema.json';
import { isTextExperiment, type AnyExperiment, type Experiment } from '../../protocol/experiment';
import { EXPERIMENT_VERSION, legacyBaseRename } from '../../shared/catalogRenames';

export class ExperimentError extends Error {
  constructor(readonly file: string, readonly problems: string[]) {
    super(`${file}: ${problems.length === 1 ? problems[0] : `\n  - ${problems.join('\n  - ')}`}`);
    this.name = 'ExperimentError';
  }
}

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const validateSchema = ajv.compile<AnyExperiment>(schema);

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
      return where === 'data' ? 'data: give "root" (the labelled data) or "train" (and optionally "val", "test")' : `${where}: ${error.message}`;
    case 'const':
      return `${where}: must be ${JSON.stringify(p.allowedValue)}`;
    default:
      return `${where}: ${error.message}`;
  }
}

/** Fields whose oneOf alternatives would each report an error: one line saying what the field may be instead. */
const ONE_OF_FIELDS: [RegExp, string][] = [
  [/^(\/phases\/\d+\/trainable)/, `must be one of ${TRAINABLE_FORMS}`],
  [/^(\/data\/(?:text|label)Column)$/, 'must be a column name (header or JSON key) or a 0-based column index'],
  [/^(\/phases\/\d+\/learningRateSchedule)/, 'must be {"type": "constant"}, {"type": "cosine", "warmupEpochs"|"warmupSteps": N, "minLr": x} or {"type": "plateau", "monitor", "factor", "patience", "minDelta", "cooldown", "minLr"} (fields optional, no others)'],
  [/^(\/classWeights)/, 'must be "balanced", "none" or an object of class names to positive weights, e.g. {"cats": 2}'],
];

function summarize(errors: ErrorObject[]): string[] {
  const lines = new Set<string>();
  for (const error of errors) {
    const oneOf = ONE_OF_FIELDS.map(([pattern, forms]) => [error.instancePath.match(pattern), forms] as const).find(([match]) => match);
    if (oneOf) {
      lines.add(`${field({ ...error, instancePath: oneOf[0]![1] })}: ${oneOf[1]}`);
    } else if (error.keyword !== 'if') {
      lines.add(describe(error));
    }
  }
  return [...lines];
}

/**
 * Either kind of experiment with defaults filled in, or throws ExperimentError naming every bad field. A version-1
 * file's renamed base id is replaced by its current name (and the version set), so it loads what it meant.
 */
export function validateAnyExperiment(value: unknown, file: string): AnyExperiment {
  const copy = JSON.parse(JSON.stringify(value ?? null));
  if (!validateSchema(copy)) throw new ExperimentError(file, summarize(validateSchema.errors ?? []));
  const rename = legacyBaseRename(copy);
  if (rename) Object.assign(copy, { version: EXPERIMENT_VERSION, base: { ...copy.base, model: rename.to } });
  return copy;
}

/** An image experiment with defaults filled in; a text one is refused (the text engine loads those). */
export function validateExperiment(value: unknown, file: string): Experiment {
  const experiment = validateAnyExperiment(value, file);
  if (isTextExperiment(experiment)) throw new ExperimentError(file, ['data.kind: "text" — a text experiment, where an image experiment is needed']);
  return experiment;
}
