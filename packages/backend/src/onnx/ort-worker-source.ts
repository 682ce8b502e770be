/**
 * The code of an onnxruntime worker_thread, run with `eval: true` so that it needs no built file
 * (sources run through tsx and vitest, builds from dist). It runs as a script or as a module alike
 * (modules by dynamic import only); `workerData` carries the file URL of onnxruntime-node, the model
 * bytes, the providers to try in order and the session options.
 *
 * Messages in: `{ type: 'run', id, feeds, outputs }`, `{ type: 'release' }`. Out: first `ready` or
 * `failed`, then one `result` or `error` per run, in the order the runs came.
 */
export const ORT_WORKER_SOURCE = String.raw`
const firstLine = (error) => (error instanceof Error ? error.message : String(error)).split('\n')[0];
let ort;
let session;

async function open(workerData) {
  const failures = [];
  for (const provider of workerData.providers) {
    try {
      session = await ort.InferenceSession.create(workerData.bytes, { ...workerData.options, executionProviders: [provider] });
      return { type: 'ready', provider, inputNames: session.inputNames, outputNames: session.outputNames };
    } catch (error) {
      failures.push(provider + ': ' + firstLine(error));
    }
  }
  return { type: 'failed', failures };
}

async function run(parentPort, { id, feeds, outputs }) {
  try {
    const ortFeeds = {};
    for (const [name, tensor] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor('float32', tensor.data, tensor.dims);
    const results = outputs ? await session.run(ortFeeds, outputs) : await session.run(ortFeeds);
    const converted = {};
    const buffers = new Set();
    for (const [name, value] of Object.entries(results)) {
      if (value.type !== 'float32') throw new Error("output '" + name + "' is " + value.type + ', expected float32');
      converted[name] = { data: value.data, dims: [...value.dims] };
      buffers.add(value.data.buffer);
      value.dispose();
    }
    parentPort.postMessage({ type: 'result', id, outputs: converted }, [...buffers]);
  } catch (error) {
    parentPort.postMessage({ type: 'error', id, message: firstLine(error) });
  }
}

(async () => {
  const { parentPort, workerData } = await import('node:worker_threads');
  const loaded = await import(workerData.ortUrl);
  ort = loaded.default ?? loaded;
  parentPort.on('message', (message) => {
    if (message.type === 'run') {
      void run(parentPort, message);
    } else if (message.type === 'release') {
      Promise.resolve(session && session.release()).finally(() => parentPort.close());
    }
  });
  parentPort.postMessage(await open(workerData));
})();
`;
