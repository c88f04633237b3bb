"""WSGI entry point for gunicorn's gevent worker (see docs/deploy.md).

    gunicorn -k gevent -w 1 -b 127.0.0.1:8001 wsgi:app

One worker per process: Socket.IO keeps its clients in memory, so run one process per
core, each on its own port, joined by ``WORKSHOP_MESSAGE_QUEUE`` and shared
``WORKSHOP_DATABASE_URL``, behind nginx with sticky sessions (deploy/nginx.conf).
"""

from gevent import monkey

monkey.patch_all()  # before anything else imports socket, ssl, threading or time

import os  # noqa: E402

os.environ.setdefault("WORKSHOP_ASYNC_MODE", "gevent")

from workshop import create_app  # noqa: E402
from workshop.gc_tuning import tune_for_server  # noqa: E402

app = create_app()
tune_for_server()
