from celery import shared_task


@shared_task(name="store.ping", time_limit=10, soft_time_limit=8, ignore_result=False)
def ping(payload: str = "pong") -> str:
    """A no-op round trip through the broker: tells a worker is alive and consuming."""
    return payload
