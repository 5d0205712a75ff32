// Child process: the baseline. A bare Fastify 5 POST /webhook that parses the JSON body and
// answers 200, nothing else, so the real app's rows read as "cost over the framework floor".
import Fastify from 'fastify';

const server = Fastify({ logger: false, bodyLimit: 3 * 1024 * 1024 });
server.post('/webhook', async () => ({ status: 'received' }));
const url = await server.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ bench: 'ready', url })}\n`);

// The parent owns this process: stop when told, or when the parent goes away (stdin closes).
const stop = () => void server.close().finally(() => process.exit(0));
process.stdin.on('data', (chunk) => {
  if (chunk.toString().includes('"stop"')) stop();
});
process.stdin.on('end', stop);
