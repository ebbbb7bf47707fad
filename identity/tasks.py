from celery import shared_task

from identity import tokens


@shared_task(name="identity.forget_expired_tokens")
def forget_expired_tokens() -> int:
    """Tokens unused past API_TOKEN_INACTIVITY_DAYS already fail; this deletes their rows."""
    return tokens.forget_expired()
