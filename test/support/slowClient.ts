// A client as slow as an attacker makes it: raw bytes over a socket, then one byte at a time.
import { connect } from 'node:net';

export interface TrickleResult {
  /** What the server wrote before closing (a 408 status line when it timed the request out). */
  response: string;
  elapsedMs: number;
  /** Bytes of `drip` sent before the server closed the connection. */
  dripped: number;
}

/**
 * Sends `head` at once, then one character of `drip` every `everyMs`, until the server closes
 * the connection (or `giveUpMs` passes: then it throws, the server never cut it).
 */
export function trickle(
  baseUrl: string,
  head: string,
  drip: string,
  everyMs: number,
  giveUpMs: number,
): Promise<TrickleResult> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const started = Date.now();
    let response = '';
    let dripped = 0;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`server still reading after ${giveUpMs} ms (${dripped} bytes dripped)`));
    }, giveUpMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (response += chunk));
    // Writes racing the server's close fail with EPIPE/ECONNRESET: the close below is the result.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ response, elapsedMs: Date.now() - started, dripped });
    });
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (dripped < drip.length) socket.write(drip[dripped++] ?? '');
      }, everyMs);
    });
  });
}
