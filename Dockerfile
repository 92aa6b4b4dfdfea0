# syntax=docker/dockerfile:1
# The production image of portal-core (see README, "Running beyond one machine").
#   docker build -t portal-core .
# Build stage: every dependency (TypeScript), the native modules (better-sqlite3, argon2) built or
# fetched for this very base image, then the dev dependencies pruned away.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
# The build also types and bundles the reference portal (scripts/build-web.mjs reads web/).
COPY src ./src
COPY scripts ./scripts
COPY web ./web
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Run stage: the same base (same glibc, so the native modules built above load), production
# dependencies only, no compiler, no secrets: every secret comes from the environment or a mounted
# file at run time (PORTAL_SECRET, the Twilio credentials, AUDIT_SIGNING_KEY_FILE).
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    DOCUMENTS_DIR=/documents
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Read at run time beside the code: the GraphQL schema files and the list of common passwords.
COPY --from=build /app/src ./src
# The data (read models, the SQLite log when no EVENTSTORE_URL) and the shared uploads, owned by the
# unprivileged user the server runs as; named volumes take this ownership when first mounted.
RUN mkdir -p /data /documents && chown node:node /data /documents
VOLUME ["/data", "/documents"]
USER node
EXPOSE 3000
# Liveness: /health answers 200 while the event store answers (readiness, /ready, is for the balancer).
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM starts the graceful shutdown (SHUTDOWN_TIMEOUT_MS); give it that long: stop_grace_period.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
