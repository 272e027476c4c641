# The catalog service on the embedded engines (LMDB event store, files for binaries).

# The gallery admin page (/admin/) is built from its TypeScript sources with the dev tools
# (Vite), which the service image leaves out; only the bundle is copied over.
FROM node:20-bookworm-slim AS admin
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY admin ./admin
RUN npm run build:admin

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# No dev dependencies, and no install scripts: the only one of ours applies patches to a test
# tool (patch-package, a dev dependency); the native packages ship prebuilt binaries.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
COPY projections ./projections
COPY --from=admin /app/admin/dist ./admin/dist
# The `catalog` operations CLI (`docker exec <container> npx catalog --help`).
COPY bin ./bin
# Two malloc arenas: glibc otherwise makes one per thread libvips uses, and keeps their freed
# memory (see README, Production: memory).
ENV PORT=8000 DATA_DIR=/data MALLOC_ARENA_MAX=2
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
USER node
CMD ["node", "--initial-old-space-size=128", "--import", "tsx", "src/main.ts"]
