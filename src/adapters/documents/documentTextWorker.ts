// The entry of a document-parse worker thread: one document in (workerData), "ready" once the
// code is loaded, then its text out, and the thread ends. See documentParsePool.ts for why a
// thread per document.
import { parentPort, workerData } from 'node:worker_threads';
import { documentText, type DocumentKind, type TextLimits } from './documentText.js';

export interface DocumentParseRequest extends TextLimits {
  kind: DocumentKind;
  bytes: Uint8Array;
}

export type DocumentParseMessage = { ready: true } | { text: string };

const request = workerData as DocumentParseRequest;
const post = (message: DocumentParseMessage) => parentPort?.postMessage(message);
post({ ready: true });
post({ text: await documentText(request.kind, request.bytes, request) });
