# os2pm built from source. The build stage needs libpq's headers; the runtime only libpq.
FROM rust:1.95.0-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p os2pm-api --bin os2pm

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/os2pm --create-home os2pm
COPY --from=build /src/target/release/os2pm /usr/local/bin/os2pm
USER os2pm
WORKDIR /var/lib/os2pm
ENV OS2PM_BIND=0.0.0.0:8080 \
    OS2PM_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["os2pm"]
CMD ["serve"]
