/**
 * A small builder over `onnx-proto` (the protobufjs-compiled ONNX schema): add inputs, weights and
 * nodes, then serialise a ModelProto. Only what the BERT generator needs; names are unique and
 * generated from a prefix so graphs read like the exporter's (`/layer.0/attention/MatMul`).
 */
import { ShortlistError } from '../../src/core/errors.ts';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** ONNX element types used by the generator. */
export const DType = {
  float: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int8: onnx.TensorProto.DataType.INT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
} as const;

/** One ONNX element type code. */
export type DTypeCode = (typeof DType)[keyof typeof DType];

/** A node attribute value: integer, float, list of integers, or a tensor. */
export type Attr = { int: number } | { float: number } | { ints: number[] } | { tensor: onnxProto.onnx.ITensorProto };

/** Tensor data accepted by {@link GraphBuilder.weight}. */
export type TensorData = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array;

/** Builds one ONNX graph. */
export class GraphBuilder {
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly used = new Set<string>();

  /** Declares a graph input; string dims are symbolic (dynamic) axes. */
  input(name: string, type: DTypeCode, dims: (number | string)[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    this.used.add(name);
    return name;
  }

  /** Declares a graph output (an existing value name). */
  output(name: string, type: DTypeCode, dims: (number | string)[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** Adds an initializer (a constant weight) and returns its name. */
  weight(name: string, dims: number[], data: TensorData): string {
    const unique = this.unique(name);
    this.initializers.push(tensor(unique, dims, data));
    return unique;
  }

  /** Adds a node; returns its output names (one per `nOutputs`). */
  node(op: string, inputs: string[], name: string, attrs: Record<string, Attr> = {}, nOutputs = 1): string[] {
    const nodeName = this.unique(name);
    const outputs = Array.from({ length: nOutputs }, (_, i) => (nOutputs === 1 ? `${nodeName}_output_0` : `${nodeName}_output_${i}`));
    for (const o of outputs) this.used.add(o);
    this.nodes.push({
      opType: op,
      name: nodeName,
      input: inputs,
      output: outputs,
      attribute: Object.entries(attrs).map(([key, value]) => attribute(key, value)),
    });
    return outputs;
  }

  /** Like {@link node} with one output, returned as a string. */
  op(op: string, inputs: string[], name: string, attrs: Record<string, Attr> = {}): string {
    return this.node(op, inputs, name, attrs, 1)[0];
  }

  /** Renames the value `from` to `to` (used to give graph outputs their public names). */
  rename(from: string, to: string): void {
    for (const n of this.nodes) {
      n.output = n.output!.map((o) => (o === from ? to : o));
      n.input = n.input!.map((i) => (i === from ? to : i));
    }
    this.used.add(to);
  }

  /** Serialises the graph as an IR-8 ModelProto importing the default-domain opset. */
  toBytes(opts: { graphName: string; opset: number; producer: string; docString?: string }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: opts.producer,
      producerVersion: '1',
      docString: opts.docString ?? '',
      opsetImport: [{ domain: '', version: opts.opset }],
      graph: {
        name: opts.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }

  private unique(name: string): string {
    let candidate = name;
    for (let i = 1; this.used.has(candidate); i++) candidate = `${name}_${i}`;
    this.used.add(candidate);
    return candidate;
  }
}

/** An ONNX tensor from typed data (stored little-endian in `raw_data`). */
export function tensor(name: string, dims: number[], data: TensorData): onnxProto.onnx.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new ShortlistError('INTERNAL', `tensor ${name}: dims ${dims} hold ${count} values, got ${data.length}`);
  return {
    name,
    dims,
    dataType: dataTypeOf(data),
    rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

function dataTypeOf(data: TensorData): DTypeCode {
  if (data instanceof Float32Array) return DType.float;
  if (data instanceof Int8Array) return DType.int8;
  if (data instanceof Uint8Array) return DType.uint8;
  if (data instanceof Int32Array) return DType.int32;
  return DType.int64;
}

function valueInfo(name: string, type: DTypeCode, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: type,
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: Attr): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in value) return { name, type: T.INT, i: value.int };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: T.INTS, ints: value.ints };
  return { name, type: T.TENSOR, t: value.tensor };
}
