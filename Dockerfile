# Production image of the Emploi Store: gunicorn for the web, the same image for Celery.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_ENV=production \
    STORE_VAR_DIR=/app/var

RUN apt-get update \
    && apt-get install --yes --no-install-recommends libjpeg62-turbo libwebp7 zlib1g curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 1000 store

WORKDIR /app
COPY pyproject.toml README.md ./
COPY store store
COPY catalogue catalogue
COPY reviews reviews
COPY search search
COPY cms cms
COPY manage.py ./
RUN pip install .

# collectstatic needs settings, not secrets: a throwaway key for this build step only.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /app/var/media && chown -R store /app/var

USER store
EXPOSE 8000
CMD ["gunicorn", "store.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
