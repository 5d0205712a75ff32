#!/usr/bin/env node
// The container's health probe (Dockerfile HEALTHCHECK, compose.yaml): exit 0 when this machine's
// server answers GET /readyz with 200 (database answering, migrations applied), else 1. Node's own
// fetch, so the runtime image needs no curl. The port is the server's PORT (3000 unless set).
const port = process.env.PORT?.trim() || '3000';
try {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(4_000) });
  if (res.status !== 200) console.error(`/readyz answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  process.exit(res.status === 200 ? 0 : 1);
} catch (err) {
  console.error(`/readyz did not answer: ${err.cause?.code ?? err.message}`);
  process.exit(1);
}
