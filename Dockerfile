FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir -e . \
 && DEBUG=true python manage.py collectstatic --noinput
RUN useradd --system --home /app allas && mkdir -p var && chown -R allas var
USER allas
EXPOSE 8000
CMD ["gunicorn", "allas.wsgi", "--workers", "3", "--threads", "4", "--worker-class", "gthread", "--bind", "0.0.0.0:8000"]
