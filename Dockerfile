# Kefu Assist bot image. The CJK font is for the report charts (Chinese text in matplotlib).
FROM python:3.11-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY migrations ./migrations
COPY knowledge ./knowledge
# kefu writes the knowledge too: approved proposals, retirements and rollbacks go into the files
RUN pip install --no-cache-dir . && useradd --create-home --uid 1000 kefu && mkdir -p /app/data \
    && chown kefu /app/data && chown -R kefu /app/knowledge
USER kefu
ENV DATABASE_URL=sqlite+aiosqlite:////app/data/kefu.db KNOWLEDGE_DIR=/app/knowledge
EXPOSE 8443
# One machine: `run` (long polling with a token, local mode without). Replicas: `webhook`.
CMD ["python", "-m", "bot", "run"]
