// A small builder over onnx-proto: nodes with fresh output names, initializers from typed arrays, the model proto.
import { onnx } from 'onnx-proto';

/** ONNX element types used here (TensorProto.DataType). */
const FLOAT = 1;
const INT64 = 7;

/** The opset every node is written for: the oldest with Softmax on one axis and Pad/Clip bounds as inputs. */
export const OPSET = 13;
/** IR version of ONNX 1.8, the release that introduced opset 13, so older runtimes read the file too. */
const IR_VERSION = 7;

/** An int, ints, a string, or `{ float }` (a float attribute that may hold a whole number, e.g. alpha 1). */
export type Attribute = number | number[] | string | { float: number };

/** A tensor inside the graph: its ONNX name and its Keras shape without the batch axis (rank-4 tensors are NCHW). */
export interface Value {
  name: string;
  shape: number[];
}

export class OnnxGraph {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly used: Set<string>;

  /** `reserved`: the graph's input and output names, which no inner tensor may take. */
  constructor(private readonly reserved: readonly string[]) {
    this.used = new Set(reserved);
  }

  /** A name nobody else in the graph has, starting from `wanted`. */
  fresh(wanted: string): string {
    let name = wanted;
    for (let i = 1; this.used.has(name); i++) name = `${wanted}_${i}`;
    this.used.add(name);
    return name;
  }

  /** Adds one node and returns the name of its (single) output. */
  node(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, name = opType.toLowerCase()): string {
    const output = this.fresh(name);
    this.nodes.push({ opType, input: inputs, output: [output], name: output, attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)) });
    return output;
  }

  /** The graph output: `value` under its reserved name. */
  output(value: string, name: string): string {
    if (!this.reserved.includes(name)) throw new Error(`${name} is not a reserved graph name`);
    this.nodes.push({ opType: 'Identity', input: [value], output: [name], name });
    return name;
  }

  floats(name: string, dims: number[], values: Float32Array | number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.initializer(name, dims, FLOAT, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }

  int64s(name: string, values: number[]): string {
    const data = BigInt64Array.from(values.map(BigInt));
    return this.initializer(name, [values.length], INT64, new Uint8Array(data.buffer));
  }

  model(input: { name: string; dims: (number | string)[] }, output: { name: string; dims: (number | string)[] }, metadata: Record<string, string>, docString: string): Uint8Array {
    const proto = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'Transfer Lab',
      opsetImport: [{ domain: '', version: OPSET }],
      docString,
      graph: { name: 'transfer_lab_classifier', node: this.nodes, initializer: this.initializers, input: [valueInfo(input)], output: [valueInfo(output)] },
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    });
    return onnx.ModelProto.encode(proto).finish();
  }

  private initializer(wanted: string, dims: number[], dataType: number, rawData: Uint8Array): string {
    const name = this.fresh(wanted);
    // A copy: the caller's array may be a view into a buffer it reuses.
    this.initializers.push({ name, dims, dataType, rawData: rawData.slice() });
    return name;
  }
}

function attribute(name: string, value: Attribute): onnx.IAttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if (typeof value === 'object') return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.INT, i: value };
}

function valueInfo({ name, dims }: { name: string; dims: (number | string)[] }): onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d }));
  return { name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } };
}
