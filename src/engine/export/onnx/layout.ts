// Keras tensors are channels-last; inside the ONNX graph rank-4 tensors are NCHW (what Conv and pooling take).
import type { OnnxGraph, Value } from './graph';

export const TO_NCHW = [0, 3, 1, 2];
export const TO_NHWC = [0, 2, 3, 1];

/** Rank-4 tensors (three axes besides the batch) are stored NCHW. */
export const isImage = (value: Value) => value.shape.length === 3;

/** The value's data in Keras' channels-last order. */
export function channelsLast(graph: OnnxGraph, value: Value): string {
  return isImage(value) ? graph.node('Transpose', [value.name], { perm: TO_NHWC }, `${value.name}_nhwc`) : value.name;
}

/** A channels-last result back in the graph's layout. */
export function fromChannelsLast(graph: OnnxGraph, name: string, shape: number[]): Value {
  return { name: shape.length === 3 ? graph.node('Transpose', [name], { perm: TO_NCHW }, `${name}_nchw`) : name, shape };
}

/** The ONNX axis of a Keras axis (negative counts from the end, batch is 0) for a value of this shape. */
export function onnxAxis(kerasAxis: number, value: Value): number {
  const rank = value.shape.length + 1;
  const axis = kerasAxis < 0 ? kerasAxis + rank : kerasAxis;
  return rank === 4 ? TO_NHWC[axis] : axis;
}
