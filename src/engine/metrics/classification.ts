// Classification metrics from a confusion matrix; undefined ratios are 0 so reports and JSON never carry NaN.

export interface ClassMetrics {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  /** number of examples whose true label is this class */
  support: number;
}

export interface AveragedMetrics {
  precision: number;
  recall: number;
  f1: number;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function checkLabel(label: number, numClasses: number, what: string, index: number): void {
  if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
    throw new RangeError(`${what}[${index}] is ${label}; labels must be integers in [0, ${numClasses - 1}]`);
  }
}

/** Rows are true classes, columns are predicted classes. */
export function confusionMatrix(
  trueLabels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  numClasses: number,
): number[][] {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  }
  if (trueLabels.length !== predicted.length) {
    throw new RangeError(`${trueLabels.length} true labels but ${predicted.length} predictions; they must pair up`);
  }
  const cm = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < trueLabels.length; i++) {
    checkLabel(trueLabels[i], numClasses, 'trueLabels', i);
    checkLabel(predicted[i], numClasses, 'predicted', i);
    cm[trueLabels[i]][predicted[i]]++;
  }
  return cm;
}

export function perClassMetrics(cm: readonly (readonly number[])[], classNames: readonly string[]): ClassMetrics[] {
  if (classNames.length !== cm.length) {
    throw new RangeError(`${classNames.length} class names for a ${cm.length}-class confusion matrix`);
  }
  return cm.map((row, k) => {
    const truePositives = row[k];
    const support = row.reduce((sum, n) => sum + n, 0);
    const predictedAsK = cm.reduce((sum, r) => sum + r[k], 0);
    const precision = ratio(truePositives, predictedAsK);
    const recall = ratio(truePositives, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { name: classNames[k], precision, recall, f1, support };
  });
}

/** Fraction of examples on the diagonal; 0 for an empty matrix. */
export function accuracy(cm: readonly (readonly number[])[]): number {
  let correct = 0;
  let total = 0;
  cm.forEach((row, k) => {
    correct += row[k];
    for (const n of row) total += n;
  });
  return ratio(correct, total);
}

/** Unweighted mean over classes, so rare classes count as much as common ones. */
export function macroAverage(perClass: readonly ClassMetrics[]): AveragedMetrics {
  const mean = (pick: (m: ClassMetrics) => number) =>
    ratio(perClass.reduce((sum, m) => sum + pick(m), 0), perClass.length);
  return { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1) };
}

/** Each row divided by its total (the recall view); rows with no examples stay all zero. */
export function rowNormalize(cm: readonly (readonly number[])[]): number[][] {
  return cm.map((row) => {
    const total = row.reduce((sum, n) => sum + n, 0);
    return row.map((n) => ratio(n, total));
  });
}
