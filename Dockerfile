# The Idlib / M4 alert bot as a container: the wheel built in a first stage, installed in a slim image,
# run as a non-root user with its SQLite data on a volume. README, "Run with Docker".

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY config ./config
COPY bot ./bot
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DATABASE_URL=sqlite:////app/data/bot.sqlite3
# tzdata: subscribers' time zones (quiet hours, digests) come from the system's zone database.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /app --create-home bot \
    && mkdir -p /app/data \
    && chown bot:bot /app/data
COPY --from=build /wheels /wheels
RUN pip install /wheels/*.whl && rm -rf /wheels
# the "bot" user created above, by number so that the host and Kubernetes can check it is not root
USER 10001:10001
WORKDIR /app
VOLUME ["/app/data"]
# 8443: webhook mode (WEBHOOK_URL, PORT); 9100: Prometheus metrics when METRICS_PORT=9100.
EXPOSE 8443 9100
HEALTHCHECK --interval=30s --timeout=20s --start-period=3m --retries=3 CMD ["python", "-m", "bot", "health"]
CMD ["python", "-m", "bot", "run"]
