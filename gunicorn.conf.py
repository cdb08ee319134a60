# How gunicorn serves newsreader; read by `gunicorn newsreader.wsgi` from this folder (`make run`, bench/).
# Threaded workers with a bound on slow clients (newsreader/serving.py): a connection that has sent nothing
# waits without a thread, one that takes over 10 s to send its headers is closed, and an idle kept-alive
# connection is closed after 5 s. A production install puts a buffering proxy in front (README, "Serving").
import os

worker_class = "newsreader.serving.HeaderTimeoutThreadWorker"
workers = int(os.environ.get("NEWSREADER_WEB_WORKERS", "2"))
threads = int(os.environ.get("NEWSREADER_WEB_THREADS", "16"))
keepalive = 5
timeout = 120  # a worker whose main loop is silent this long is replaced; a request's threads do not hold it
control_socket_disable = True  # no shared ~/.gunicorn/gunicorn.ctl between several servers on one machine
