"""What a replica reports to Prometheus: updates, their latency, flags, the outbox, errors.

One registry per running bot (tests run several in one process).
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter("kefu_webhook_updates", "Webhook requests by result "
                               "(accepted, duplicate, rejected, malformed)", ["result"], registry=self.registry)
        self.handled = Histogram("kefu_update_seconds", "Time the bot spent handling one update",
                                 buckets=LATENCY_BUCKETS, registry=self.registry)
        self.webhook_replies = Counter("kefu_webhook_replies", "Verdicts sent as the webhook's answer",
                                       registry=self.registry)
        self.flags = Counter("kefu_flags", "Problems flagged in drafts", ["severity"], registry=self.registry)
        self.errors = Counter("kefu_errors", "Errors while handling updates or jobs", registry=self.registry)
        self.outbox_pending = Gauge("kefu_outbox_pending", "Messages waiting in the outbox", registry=self.registry)
        self.outbox_failed = Gauge("kefu_outbox_failed", "Messages Telegram refused for good", registry=self.registry)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
