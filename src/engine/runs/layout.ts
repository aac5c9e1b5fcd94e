// Names of the files inside a run folder, in one place so writers and readers agree.

export const STATE_FILE = 'state.json';
export const EXPERIMENT_FILE = 'experiment.json';
export const METRICS_FILE = 'metrics.jsonl';
export const CHECKPOINTS_DIR = 'checkpoints';
export const LOCK_FILE = 'run.lock';
/** Evaluations on other folders, one file each, kept beside the run's own evaluation.json. */
export const EVALUATIONS_DIR = 'evaluations';
