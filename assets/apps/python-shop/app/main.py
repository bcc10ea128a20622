from fastapi import FastAPI, HTTPException
from redis import Redis
from sqlalchemy import create_engine, text

from . import settings

app = FastAPI(title="python-shop")
engine = create_engine(settings.DATABASE_URL, pool_pre_ping=True)
cache = Redis.from_url(settings.REDIS_URL)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/api/products")
def products(page: int = 1):
    offset = (page - 1) * settings.PAGE_SIZE
    with engine.connect() as db:
        rows = db.execute(
            text("SELECT id, name, price FROM products ORDER BY id LIMIT :n OFFSET :o"),
            {"n": settings.PAGE_SIZE, "o": offset},
        )
        return [dict(row._mapping) for row in rows]


@app.get("/api/products/{product_id}")
def product(product_id: int):
    cached = cache.get(f"product:{product_id}")
    if cached:
        return {"id": product_id, "name": cached.decode()}
    with engine.connect() as db:
        row = db.execute(text("SELECT id, name, price FROM products WHERE id = :id"), {"id": product_id}).first()
    if row is None:
        raise HTTPException(status_code=404, detail="no such product")
    cache.setex(f"product:{product_id}", 300, row.name)
    return dict(row._mapping)
