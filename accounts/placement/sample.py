"""Generated placement files for demos, tests and the benchmark (Faker-free so a million rows is quick).
Every row is valid unless ``bad_every`` asks for a deliberately broken row every N rows."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from .rows import COLUMNS

FIRST = ["Ada", "Chidi", "Ngozi", "Tunde", "Bola", "Emeka", "Funmi", "Yusuf", "Amaka", "Segun"]
LAST = ["Okafor", "Adeyemi", "Bello", "Eze", "Ogunleye", "Nwosu", "Ibrahim", "Balogun"]
CITIES = ["Lagos", "Ibadan", "Abuja", "Enugu", "Kano", "Port Harcourt"]


def sample_row(i: int, *, rng: random.Random, today: date, balance_delta: int = 0) -> dict[str, str]:
    principal = 1000 + (i * 37) % 90000
    interest = (i * 13) % 5000
    fees = (i % 4) * 250
    row = {name: "" for name in COLUMNS}
    row.update({
        "customer_ref": f"CUS{i:08d}",
        "first_name": FIRST[i % len(FIRST)],
        "last_name": LAST[i % len(LAST)],
        "date_of_birth": (date(1960, 1, 1) + timedelta(days=(i * 97) % 14000)).isoformat(),
        "email": f"customer{i}@example.com",
        "phone": f"0803{i % 10_000_000:07d}",
        "city": CITIES[i % len(CITIES)],
        "postal_code": "100001",
        "preferred_channel": ("sms", "email", "whatsapp", "voice")[i % 4],
        "language": ("en", "pcm", "en", "fr")[i % 4],
        "consent_sms": ("yes", "yes", "no", "")[i % 4],
        "consent_email": "yes",
        "account_reference": f"ACC{i:09d}",
        "product": "Electricity",
        "principal": f"{principal}.00",
        "interest": f"{interest}.50",
        "fees": f"{fees}",
        "credits": "0",
        "balance": f"{principal + interest + fees + balance_delta}.50" if balance_delta else "",
        "due_date": (today - timedelta(days=1 + (i * 7) % 400)).isoformat(),
        "opened_on": (today - timedelta(days=500 + i % 900)).isoformat(),
    })
    return row


def write_sample_file(
    path: str | Path, rows: int, *, start: int = 0, bad_every: int = 0, bom: bool = False, balance_delta: int = 0,
    seed: int = 7,
) -> Path:
    """Write ``rows`` placement rows to ``path``. Row i has references CUS/ACC i (stable across runs)."""
    path = Path(path)
    rng = random.Random(seed)
    today = date.today()
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(COLUMNS))
        writer.writeheader()
        for i in range(start, start + rows):
            row = sample_row(i, rng=rng, today=today, balance_delta=balance_delta)
            if bad_every and i % bad_every == bad_every - 1:
                row["principal"] = "-5"
            writer.writerow(row)
    return path
