"""WSGI entry point for gunicorn: ``gunicorn app.wsgi:server``."""

from app import create_app

application = create_app()
server = application.server
