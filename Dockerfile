# tarjama serve on CPU. The steps are the README's install steps ("Quick start" and "Serving over
# HTTP"); tests/test_server_docs.py checks that each pip command here is in the README.
#   docker build -t tarjama .
#   docker run -p 5000:5000 -v tarjama-models:/root/.cache tarjama
FROM python:3.11-slim

WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 PYTHONUNBUFFERED=1
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install -e ".[server]"

EXPOSE 5000
# 0.0.0.0 inside the container: the container's own network is the boundary; publish the port
# only where it should be reached, and give --api-keys for anything wider than one machine.
CMD ["tarjama", "serve", "--host", "0.0.0.0", "--port", "5000"]
