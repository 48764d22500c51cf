"""gunicorn settings: ``gunicorn -c gunicorn.conf.py "app:create_app()"``.

WEB_CONCURRENCY   worker processes (default 2 × CPU cores + 1, at most 8)
BIND              address to listen on (default 127.0.0.1:8000; the reverse proxy's target)
GUNICORN_TIMEOUT  seconds before a silent worker is restarted (default 30)
ACCESS_LOG        access log file, "-" for standard output (the default)
"""

import multiprocessing
import os

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT') or 8000}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 8))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 20
keepalive = 5
# A worker is recycled after this many requests (with jitter), bounding any slow leak.
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("ACCESS_LOG") or "-"
errorlog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# The app is built in each worker (no preload): no database connection crosses a fork.
preload_app = False
# Behind a proxy on another host, let its X-Forwarded-* through to TRUSTED_PROXIES/ProxyFix.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
