// The part of TensorFlow's Event proto (tensorflow/core/util/event.proto, framework/summary.proto, tensor.proto)
// that TensorBoard reads for scalars and text, as protobufjs reflection: field numbers as upstream, nothing else.
import { Root } from 'protobufjs/light';

const DT_STRING = 7;
const SESSION_START = 1;

const root = Root.fromJSON({
  nested: {
    Event: {
      fields: {
        wallTime: { type: 'double', id: 1 },
        step: { type: 'int64', id: 2 },
        fileVersion: { type: 'string', id: 3 },
        summary: { type: 'Summary', id: 5 },
        sessionLog: { type: 'SessionLog', id: 6 },
      },
    },
    SessionLog: { fields: { status: { type: 'int32', id: 1 }, msg: { type: 'string', id: 3 } } },
    Summary: {
      fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
      nested: {
        Value: {
          fields: {
            tag: { type: 'string', id: 1 },
            simpleValue: { type: 'float', id: 2 },
            tensor: { type: 'TensorProto', id: 8 },
            metadata: { type: 'SummaryMetadata', id: 9 },
          },
        },
      },
    },
    SummaryMetadata: {
      fields: { pluginData: { type: 'PluginData', id: 1 } },
      nested: { PluginData: { fields: { pluginName: { type: 'string', id: 1 }, content: { type: 'bytes', id: 2 } } } },
    },
    TensorProto: {
      fields: {
        dtype: { type: 'int32', id: 1 },
        tensorShape: { type: 'TensorShapeProto', id: 2 },
        stringVal: { rule: 'repeated', type: 'bytes', id: 8 },
      },
    },
    TensorShapeProto: { fields: {} },
  },
});

export const EventMessage = root.lookupType('Event');

/** The first event of every file: TensorBoard reads files that announce this version. */
export const FILE_VERSION = 'brain.Event:2';

const encode = (event: Record<string, unknown>) => EventMessage.encode(EventMessage.fromObject(event)).finish();

export function fileVersionEvent(wallTime: number): Uint8Array {
  return encode({ wallTime, step: 0, fileVersion: FILE_VERSION });
}

/** One event holding every scalar of a step (TensorBoard splits them by tag). */
export function scalarsEvent(wallTime: number, step: number, scalars: Record<string, number>): Uint8Array {
  const value = Object.entries(scalars).map(([tag, simpleValue]) => ({ tag, simpleValue }));
  return encode({ wallTime, step, summary: { value } });
}

/** A text summary as tf.summary.text writes it: a scalar string tensor tagged for the 'text' plugin (markdown). */
export function textEvent(wallTime: number, step: number, tag: string, text: string): Uint8Array {
  const tensor = { dtype: DT_STRING, tensorShape: {}, stringVal: [Buffer.from(text, 'utf8')] };
  return encode({ wallTime, step, summary: { value: [{ tag, tensor, metadata: { pluginData: { pluginName: 'text' } } }] } });
}

/**
 * A session restart at `step`: TensorBoard drops what this run logged at that step and later (the epochs a resume
 * redoes), as it does for a TensorFlow job restarted from a checkpoint.
 */
export function sessionStartEvent(wallTime: number, step: number): Uint8Array {
  return encode({ wallTime, step, sessionLog: { status: SESSION_START, msg: 'resumed from a checkpoint' } });
}
