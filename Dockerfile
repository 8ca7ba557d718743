FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    STATIC_ROOT=/app/staticfiles
WORKDIR /app
# The locked dependencies first (their own layer, rebuilt only when the lock changes), each
# file checked against its hash; then the portal, without resolving anything again.
COPY requirements.txt ./
RUN pip install --no-cache-dir --require-hashes -r requirements.txt
COPY . .
RUN pip install --no-cache-dir --no-deps -e .
# Static files are collected into the image, hashed names and compressed copies included,
# so a container serves them from the first request and never writes them.
RUN DEBUG=true STATIC_MANIFEST=true python manage.py collectstatic --noinput
RUN useradd --system --home /app allas && mkdir -p var && chown -R allas var
USER allas
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-m", "allas.healthcheck"]
CMD ["gunicorn", "allas.wsgi", "--workers", "3", "--threads", "4", "--worker-class", "gthread", "--bind", "0.0.0.0:8000"]
