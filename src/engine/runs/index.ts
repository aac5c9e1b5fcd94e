export * from './atomic';
export * from './runFolder';
export * from './state';
export * from './metricsLog';
export { CheckpointError, loadCheckpoint } from './checkpointFiles';
export type { CheckpointManifest, CheckpointMeta, CheckpointTensor, LoadedCheckpoint, TensorEntry } from './checkpointFiles';
export { BEST_TAG, epochCheckpointTag, latestGoodCheckpoint, pruneCheckpoints, saveCheckpoint } from './checkpoints';
export { processAlive } from './process';
export { openRun, stateEmitter, type OpenedRun, type StateEmitter } from './openRun';
