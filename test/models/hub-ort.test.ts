/**
 * A model with external data, fetched through the loopback hub, loads in ONNX Runtime from the
 * cache snapshot (the `.onnx_data` file next to `model.onnx`, no symlink in between).
 */
import assert from 'node:assert/strict';
import { lstat, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import onnxProto from 'onnx-proto';
import ort from 'onnxruntime-node';
import { resolveModel } from '../../src/models/hub/index.ts';
import { startFakeHub } from './hub-server.ts';

const { onnx } = onnxProto;
const N = 4;

/** `y = x + w`, with `w` stored in `model.onnx_data`. */
function addModel(): Uint8Array {
  const vector = { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: N }] } } };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'add',
      node: [{ opType: 'Add', input: ['x', 'w'], output: ['y'], name: 'add' }],
      initializer: [
        {
          name: 'w',
          dims: [N],
          dataType: onnx.TensorProto.DataType.FLOAT,
          dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
          externalData: [
            { key: 'location', value: 'model.onnx_data' },
            { key: 'offset', value: '0' },
            { key: 'length', value: String(N * 4) },
          ],
        },
      ],
      input: [{ name: 'x', type: vector }],
      output: [{ name: 'y', type: vector }],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

test('a downloaded model with external data runs in ONNX Runtime from the cache', async () => {
  const weights = new Float32Array([0.5, -1, 2, 10]);
  const hub = await startFakeHub([
    {
      repo: 'acme/external',
      commit: 'e'.repeat(40),
      files: { 'tokenizer.json': '{}', 'onnx/model.onnx': addModel(), 'onnx/model.onnx_data': new Uint8Array(weights.buffer) },
    },
  ]);
  try {
    const cache = await mkdtemp(join(tmpdir(), 'shortlist-ort-'));
    const m = await resolveModel('acme/external', { env: { HF_ENDPOINT: hub.url, SHORTLIST_CACHE: cache } });
    assert.ok((await lstat(m.files.onnxData)).isFile());
    const session = await ort.InferenceSession.create(m.files.onnx);
    try {
      const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([1, 1, 1, 1]), [N]) });
      assert.deepEqual(Array.from(out.y.data as Float32Array), [1.5, 0, 3, 11]);
    } finally {
      await session.release();
    }
  } finally {
    await hub.close();
  }
});
