// Reads a Server-Sent Events stream over real HTTP for tests: every event it gets, parsed. Plain
// node:http, so closing it closes its one connection (fetch's pool may open a spare one).
import { get } from 'node:http';

export interface EventStreamReader {
  status: number;
  events: { type: string; data: any }[];
  /** Comment lines (heartbeats, the opening line). */
  comments: string[];
  close(): void;
}

export function openEventStream(url: string, headers: Record<string, string>): Promise<EventStreamReader> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers, agent: false }, (res) => {
      const reader: EventStreamReader = {
        status: res.statusCode ?? 0,
        events: [],
        comments: [],
        close: () => request.destroy(),
      };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let type = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) reader.comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) type = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0 && reader.status === 200) reader.events.push({ type, data: JSON.parse(data.join('\n')) });
        }
      });
      res.on('error', () => undefined);
      resolve(reader);
    });
    request.on('error', (err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(err);
    });
  });
}
