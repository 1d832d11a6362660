# One image for the four services; pick one with the command, e.g. `python -m services.tasks`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# antiword: the importer reads Word 97-2003 (.doc) plans through it; wv (wvWare): their list levels, which
# antiword leaves out (importer/read/doc_reader.py, doc_levels.py).
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends antiword wv \
 && rm -rf /var/lib/apt/lists/*

# Dependencies change less often than code: build metadata first, then the packages.
COPY pyproject.toml ./
COPY schemas ./schemas
COPY services ./services
COPY importer ./importer
RUN pip install . \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin tiendo \
 && mkdir -p /app/var \
 && chown tiendo /app/var

USER tiendo

ENV TIENDO_ENVIRONMENT=production \
    TIENDO_HTTP_HOST=0.0.0.0

EXPOSE 8000
CMD ["python", "-m", "services.plans"]
