# Kefu Assist bot image.
#
# Layers, slowest-changing first: the font, then the pinned dependencies (requirements.lock,
# written by scripts/lock.py), then the bot itself, installed once from a wheel built in the
# first stage (the wheel carries the migrations and the default knowledge). A code change
# rebuilds only the last layers.
FROM python:3.11-slim AS wheel
WORKDIR /src
COPY . .
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheel .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# A CJK font for the report charts (Chinese text in matplotlib): WenQuanYi Micro Hei, ~5 MB
# where Noto CJK is ~100 MB.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-cache-dir -r /tmp/requirements.lock && useradd --create-home --uid 1000 kefu
COPY --from=wheel /wheel /tmp/wheel
RUN pip install --no-cache-dir --no-deps /tmp/wheel/*.whl && rm -rf /tmp/wheel
WORKDIR /app
# The working copy of the knowledge: kefu writes it too (approved proposals, retirements,
# rollbacks), so it is not the package's read-only default. Compose mounts ./knowledge here.
COPY --chown=kefu knowledge ./knowledge
RUN mkdir -p /app/data && chown kefu /app/data
USER kefu
ENV DATABASE_URL=sqlite+aiosqlite:////app/data/kefu.db KNOWLEDGE_DIR=/app/knowledge \
    STATUS_HOST=127.0.0.1 STATUS_PORT=8444
EXPOSE 8443
# Long polling serves /health on STATUS_PORT; a webhook replica on WEBHOOK_PORT (compose sets
# its own check). Local mode (no token) has no /health: it is not for containers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('STATUS_PORT', '8444'), timeout=4)"]
# One machine: `run` (long polling with a token, local mode without). Replicas: `webhook`.
CMD ["kefu", "run"]
