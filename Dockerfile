# renkei hub: production image. Build with `docker build -t renkei-hub .` or `docker compose build`.
# Production needs DATABASE_URL (an external PostgreSQL); the embedded server is a development
# convenience and has nowhere writable to live in this image, so a missing DATABASE_URL fails
# the start instead of silently keeping data inside the container.

# Pinned to an exact Node 20 release (package.json engines: >=20.19.0). Bump deliberately.
FROM node:20.20.2-bookworm-slim AS base
# The lockfile and package.json "allowScripts" (which dependency install scripts may run) are
# written by npm 11; the npm 10 bundled with Node 20 ignores allowScripts and would run every
# install script, so install the npm release the project uses.
RUN npm install --global npm@11.19.1 && npm cache clean --force
WORKDIR /app

FROM base AS build
COPY package.json package-lock.json ./
COPY apps/console/package.json ./apps/console/
RUN npm ci
COPY nest-cli.json tsconfig.json tsconfig.build.json ./
COPY schema ./schema
COPY apps ./apps
COPY libs ./libs
# The hub and the console it serves (dist/console), typed against schema/.
RUN npm run build

FROM base AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
COPY package.json package-lock.json ./
# The console's workspace manifest: npm ci wants it; its packages are all build-time (dev) only.
COPY apps/console/package.json ./apps/console/
RUN npm ci --omit=dev && npm cache clean --force
# Owned by root and only readable by the app user: the process cannot rewrite its own code.
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
# Liveness only (no database): /readyz is for orchestrators that route traffic.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))"
CMD ["node", "dist/apps/hub/src/main.js"]
