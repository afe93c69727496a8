import { parentPort, workerData } from 'node:worker_threads';
import {
  type Block,
  type EncodedBlock,
  GENERATED_TABLES,
  GeneratorContext,
  type GeneratorOptions,
  generateBlock,
} from './portfolio';

// A generator thread: blocks in, UTF-8 COPY text out (transferred, not copied).
const ctx = new GeneratorContext((workerData as { options: GeneratorOptions }).options);
const encoder = new TextEncoder();
parentPort!.on('message', (block: Block) => {
  const rows = generateBlock(ctx, block);
  const chunks = GENERATED_TABLES.map((t) => encoder.encode(rows.text[t]));
  const message: EncodedBlock = { index: rows.index, chunks, counts: rows.counts };
  parentPort!.postMessage(
    message,
    chunks.map((c) => c.buffer as ArrayBuffer),
  );
});
