// A real OpenAI-compatible HTTP server on loopback that records what it gets and fails on demand.
import { createServer } from 'node:http';
export class FakeAiProvider {
    name;
    requests = [];
    reply;
    /** Wait before answering (successes and failures alike). */
    delayMs = 0;
    server = null;
    pendingFailures = [];
    failAllMode = null;
    constructor(name = 'fake') {
        this.name = name;
        this.reply = `Fake answer from ${name}`;
    }
    async start() {
        const server = createServer((req, res) => {
            this.handle(req, res).catch(() => res.destroy());
        });
        await new Promise((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => resolve());
        });
        this.server = server;
        const { port } = server.address();
        return `http://127.0.0.1:${port}/v1`;
    }
    async stop() {
        const server = this.server;
        if (!server)
            return;
        this.server = null;
        // Hanging requests would keep close() waiting forever.
        server.closeAllConnections();
        await new Promise((resolve) => server.close(() => resolve()));
    }
    /** The next `n` chat requests fail with this status and body. */
    failNext(n, failure) {
        for (let i = 0; i < n; i++)
            this.pendingFailures.push(failure);
    }
    /** Every chat request fails: with a status, by never answering, or by dropping the connection. */
    failAll(mode) {
        this.failAllMode = mode;
    }
    recover() {
        this.failAllMode = null;
        this.pendingFailures = [];
    }
    async handle(req, res) {
        const raw = await readBody(req);
        const path = req.url ?? '';
        if (req.method !== 'POST' || path !== '/v1/chat/completions') {
            sendJson(res, 404, { error: { message: `No route ${req.method} ${path}`, type: 'invalid_request_error' } });
            return;
        }
        let body;
        try {
            body = JSON.parse(raw);
        }
        catch {
            sendJson(res, 400, { error: { message: 'Body is not JSON', type: 'invalid_request_error' } });
            return;
        }
        this.requests.push({ path, headers: req.headers, body });
        if (this.failAllMode === 'hang')
            return;
        if (this.failAllMode === 'reset') {
            req.socket.destroy();
            return;
        }
        if (this.delayMs > 0)
            await new Promise((resolve) => setTimeout(resolve, this.delayMs));
        const failure = this.failAllMode !== null ? { status: this.failAllMode } : this.pendingFailures.shift();
        if (failure) {
            sendJson(res, failure.status, failure.body ?? { error: { message: `Fake failure from ${this.name}`, type: 'server_error' } });
            return;
        }
        const content = typeof this.reply === 'function' ? this.reply(body) : this.reply;
        sendJson(res, 200, {
            id: `chatcmpl-${this.requests.length}`,
            object: 'chat.completion',
            created: Math.floor(Date.now() / 1000),
            model: body?.model ?? 'unknown',
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
            usage: { prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 },
        });
    }
}
function readBody(req) {
    return new Promise((resolve, reject) => {
        const chunks = [];
        req.on('data', (chunk) => chunks.push(chunk));
        req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        req.on('error', reject);
    });
}
function sendJson(res, status, body) {
    if (res.destroyed)
        return;
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
}
//# sourceMappingURL=fakeAiProvider.js.map