// A stand-in for graph.facebook.com on a loopback port: records every request, answers sends
// like Meta does, and fails (or stalls) on demand, so clients are tested over real HTTP.
import { createServer } from 'node:http';
export class FakeGraphApi {
    requests = [];
    /** Delay before every answer, in ms; used to provoke client timeouts. */
    delayMs = 0;
    /** Requests received and not yet answered (held by `delayMs`). */
    pending = 0;
    programmed = [];
    timers = new Set();
    server = null;
    sentCount = 0;
    async start() {
        const server = createServer((req, res) => this.handle(req, res));
        this.server = server;
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', resolve);
        });
        const { port } = server.address();
        return `http://127.0.0.1:${port}`;
    }
    async stop() {
        for (const timer of this.timers)
            clearTimeout(timer);
        this.timers.clear();
        const server = this.server;
        this.server = null;
        if (!server)
            return;
        server.closeAllConnections();
        await new Promise((resolve) => server.close(() => resolve()));
    }
    /** The next `count` requests get `response` instead of the default success. */
    failNext(count, response) {
        for (let i = 0; i < count; i++)
            this.programmed.push(response);
    }
    /** Text messages the client asked to send, in arrival order (retries included). */
    sentTexts() {
        return this.requests.flatMap((request) => {
            const match = /\/([^/]+)\/messages$/.exec(request.path);
            if (request.method !== 'POST' || !match?.[1] || request.body?.type !== 'text')
                return [];
            return [
                {
                    phoneNumberId: decodeURIComponent(match[1]),
                    to: String(request.body.to),
                    body: String(request.body.text?.body),
                    replyTo: typeof request.body.context?.message_id === 'string' ? request.body.context.message_id : null,
                    authorization: request.headers.authorization ?? null,
                },
            ];
        });
    }
    handle(req, res) {
        const chunks = [];
        req.on('data', (chunk) => chunks.push(chunk));
        req.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const request = {
                method: req.method ?? '',
                path: req.url ?? '',
                headers: req.headers,
                body: parseJsonOrText(text),
                receivedAt: Date.now(),
            };
            this.requests.push(request);
            const response = this.programmed.shift() ?? this.defaultResponse(request);
            this.pending += 1;
            const timer = setTimeout(() => {
                this.timers.delete(timer);
                this.pending -= 1;
                // The client may have given up (timeout) while we waited.
                if (res.destroyed)
                    return;
                const body = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
                res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
                res.end(body);
            }, response.delayMs ?? this.delayMs);
            this.timers.add(timer);
        });
    }
    defaultResponse(request) {
        this.sentCount += 1;
        const to = request.body?.to;
        return {
            status: 200,
            body: {
                messaging_product: 'whatsapp',
                contacts: [{ input: to, wa_id: to }],
                messages: [{ id: `wamid.fake-${this.sentCount}` }],
            },
        };
    }
}
function parseJsonOrText(text) {
    if (text === '')
        return null;
    try {
        return JSON.parse(text);
    }
    catch {
        return text;
    }
}
//# sourceMappingURL=fakeGraphApi.js.map