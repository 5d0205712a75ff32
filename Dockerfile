# syntax=docker/dockerfile:1
# The server as an image: built with every dependency, run with production dependencies only, as
# the unprivileged "node" user. Settings come from the environment (compose.yaml: env_file .env);
# production needs WHATSAPP_APP_SECRET, ENCRYPTION_KEY and a 32+ character ADMIN_API_TOKEN.

# 1. Build: the server (tsc) and the dashboard (Vite) into dist/.
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY dashboard ./dashboard
RUN npm run build

# 2. Production dependencies only, installed apart so no build tool reaches the image.
FROM node:22-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# 3. Runtime: compiled code, migrations, the built dashboard, nothing else.
FROM node:22-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node package.json ./
COPY --chown=node:node drizzle ./drizzle
COPY --chown=node:node scripts/healthcheck.mjs ./scripts/healthcheck.mjs
# DATA_DIR: the embedded database when DATABASE_URL is unset (one container per volume).
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]
USER node
EXPOSE 3000
# Ready means the database answers and every migration is applied (GET /readyz).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["node", "scripts/healthcheck.mjs"]
# Not npm start: nothing is compiled at run time. The admin CLI: docker compose exec server node dist/cli/adminCli.js --help
CMD ["node", "dist/main.js"]
