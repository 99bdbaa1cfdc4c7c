# The Flightline app. Stateless when CLICKHOUSE_URL and DATABASE_URL point at servers (see
# docker-compose.yml); without them it runs the embedded engines under /app/data.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npx next build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PORT=3000
COPY --from=build /app /app
# 3000: HTTP (UI, APIs, OTLP/HTTP); 4317: OTLP/gRPC
EXPOSE 3000 4317
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "scripts/start.mjs"]
