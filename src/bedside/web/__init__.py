"""The web app: server-rendered pages and a JSON API over `bedside.service` (`create_app`)."""
