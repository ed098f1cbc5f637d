# Production image: builds the web app and the server, runs the `pnyx` binary as a non-root user.

FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY openapi ./openapi
COPY frontend/package.json frontend/package-lock.json ./frontend/
RUN cd frontend && npm ci --no-audit --no-fund
COPY frontend ./frontend
RUN cd frontend && npm run build

FROM rust:1-bookworm AS server
WORKDIR /src
COPY . .
RUN cargo build --release -p pnyx

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /app pnyx
WORKDIR /app
COPY --from=server /src/target/release/pnyx /usr/local/bin/pnyx
COPY --from=web /src/frontend/dist /app/web
ENV PNYX_BIND=0.0.0.0:8080 PNYX_ENV=production PNYX_STATIC_DIR=/app/web PNYX_LOG_FORMAT=json
USER pnyx
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/readyz || exit 1
ENTRYPOINT ["pnyx"]
CMD ["serve"]
