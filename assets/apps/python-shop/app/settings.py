import os

DATABASE_URL = os.environ["DATABASE_URL"]
REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
SECRET_KEY = os.environ["SECRET_KEY"]
PAGE_SIZE = int(os.environ.get("PAGE_SIZE", "20"))
