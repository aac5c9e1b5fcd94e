// The text module's public surface: BERT bases, text datasets, training, prediction and the sample.
export { bertParamCount, parseBertConfig, type BertConfig } from './bertConfig';
export { loadBertBase, type BertBase, type BertBaseInfo } from './bertBase';
export { describeBertLayers } from './bertLayers';
export type { TextPooling } from './bertModel';
export { hubModelId, resolveCheckpointFolder, type HubOptions } from './hub';
export { loadTokenizer, type TextTokenizer } from './tokenizer';
export { loadTextDataset, type TextDataset } from './textDataset';
export { scanTextDataset, type TextScanResult } from './textScan';
export type { TextProblem, TextSourceSpec } from './textSources';
export {
  isTextExperimentFile, isTextExperimentJson, loadTextExperimentFile, validateTextExperiment, type TextExperiment,
} from './textExperiment';
export { textKind, trainTextExperiment, type TextTrainOptions } from './textTrain';
export { loadTextRunModel, type TextModelCard, type TextRunModel } from './textArtifacts';
export { evaluateTextRun, predictTexts, textRunUse, type TextPrediction } from './textUse';
export { inspectTextBase } from './textInspect';
export { writeTextSample, SAMPLE_BASE } from './textSample';
