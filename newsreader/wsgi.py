import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
application = get_wsgi_application()

from articles.checks import CONSOLE_EMAIL_MESSAGE, email_goes_to_the_log  # noqa: E402  needs the settings

if email_goes_to_the_log():  # said once per web process as it starts, where whoever runs it looks
    logging.getLogger("newsreader").warning("%s Set EMAIL_BACKEND to mail them.", CONSOLE_EMAIL_MESSAGE)
