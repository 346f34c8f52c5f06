"""Seeded generation of demo customers and their debts, with no database: every value comes from one
``random.Random(seed)`` and per-locale Faker pools, so the same seed always gives the same people.

Generating a million Faker names is slow, so each locale draws a few thousand names and street
addresses once (seeded) and customers are assembled from those pools.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from faker import Faker

from accounts.choices import AccountStatus, Channel, DelinquencyBucket, Language, VulnerabilityFlag

POOL_SIZE = 3000
CENTS = Decimal("0.01")

# Each market: Faker locale, regions (code, weight, time zone, [(city, postcode prefix)], phone area codes),
# language and channel mixes. Time zones of US states are where most of the state lives.
MARKETS: dict[str, dict] = {
    "NG": {
        "locale": "en_NG",
        "country": "NG",
        "regions": [
            ("LA", 45, "Africa/Lagos", [("Ikeja", "100"), ("Surulere", "101"), ("Lekki", "105"), ("Yaba", "101"),
                                        ("Ikorodu", "104"), ("Ajah", "106")], None),
            ("FC", 12, "Africa/Lagos", [("Abuja", "900"), ("Gwagwalada", "902")], None),
            ("OY", 10, "Africa/Lagos", [("Ibadan", "200"), ("Ogbomosho", "210")], None),
            ("RI", 9, "Africa/Lagos", [("Port Harcourt", "500"), ("Bonny", "503")], None),
            ("KN", 8, "Africa/Lagos", [("Kano", "700")], None),
            ("EN", 6, "Africa/Lagos", [("Enugu", "400"), ("Nsukka", "410")], None),
            ("ED", 5, "Africa/Lagos", [("Benin City", "300")], None),
            ("OG", 5, "Africa/Lagos", [("Abeokuta", "110"), ("Sagamu", "121")], None),
        ],
        "mobile_prefixes": ["803", "806", "813", "816", "703", "706", "903", "805", "807", "815", "905",
                            "802", "808", "812", "701", "902", "809", "817", "818", "909"],
        "languages": [(Language.ENGLISH, 55), (Language.PIDGIN, 45)],
        "channels": [(Channel.SMS, 40), (Channel.WHATSAPP, 35), (Channel.EMAIL, 12), (Channel.VOICE, 13)],
        "unknown_zone_share": 0.0,
    },
    "US": {
        "locale": "en_US",
        "country": "US",
        "regions": [
            ("MA", 40, "America/New_York", [("Boston", "021"), ("Worcester", "016"), ("Springfield", "011"),
                                            ("Lowell", "018"), ("Brockton", "023")], ["617", "508", "781", "978", "413"]),
            ("NY", 12, "America/New_York", [("New York", "100"), ("Buffalo", "142"), ("Albany", "122")],
             ["212", "718", "917", "716", "518"]),
            ("FL", 8, "America/New_York", [("Miami", "331"), ("Orlando", "328"), ("Tampa", "336")],
             ["305", "407", "813"]),
            ("TX", 10, "America/Chicago", [("Houston", "770"), ("San Antonio", "782"), ("Dallas", "752")],
             ["713", "210", "214"]),
            ("IL", 6, "America/Chicago", [("Chicago", "606"), ("Aurora", "605")], ["312", "773", "630"]),
            ("CO", 5, "America/Denver", [("Denver", "802"), ("Colorado Springs", "809")], ["303", "719"]),
            ("AZ", 4, "America/Phoenix", [("Phoenix", "850"), ("Tucson", "857")], ["602", "520"]),
            ("CA", 15, "America/Los_Angeles", [("Los Angeles", "900"), ("San Diego", "921"), ("Fresno", "937")],
             ["213", "619", "559"]),
        ],
        "languages": [(Language.ENGLISH, 80), (Language.SPANISH, 20)],
        "channels": [(Channel.SMS, 35), (Channel.EMAIL, 40), (Channel.VOICE, 20), (Channel.WHATSAPP, 5)],
        # Some customers moved or only gave a mobile number: the zone is unknown and every possible zone
        # must allow contact (design: Customer.time_zone empty → possible_time_zones).
        "unknown_zone_share": 0.08,
        "possible_zone_sets": [
            ["America/New_York", "America/Chicago"],
            ["America/Chicago", "America/Denver"],
            ["America/Denver", "America/Los_Angeles"],
            ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"],
        ],
    },
    "GB": {
        "locale": "en_GB",
        "country": "GB",
        "regions": [
            ("ENG", 84, "Europe/London", [("London", None), ("Manchester", None), ("Birmingham", None),
                                          ("Leeds", None), ("Bristol", None)], None),
            ("SCT", 8, "Europe/London", [("Glasgow", None), ("Edinburgh", None)], None),
            ("WLS", 5, "Europe/London", [("Cardiff", None), ("Swansea", None)], None),
            ("NIR", 3, "Europe/London", [("Belfast", None)], None),
        ],
        "languages": [(Language.ENGLISH, 90), (Language.FRENCH, 10)],
        "channels": [(Channel.EMAIL, 45), (Channel.SMS, 40), (Channel.VOICE, 10), (Channel.WHATSAPP, 5)],
        "unknown_zone_share": 0.0,
    },
}

# Debt sizes per creditor (median principal and spread for a log-normal draw), and what they add.
DEBT_PROFILES: dict[str, dict] = {
    "lagos-power": {"median": 45000, "sigma": 1.0, "cap": 3_000_000, "interest": (0.0, 0.0), "fee": (0.0, 0.05)},
    "naija-mobile": {"median": 18000, "sigma": 0.9, "cap": 800_000, "interest": (0.0, 0.0), "fee": (0.0, 0.08)},
    "bay-state-auto": {"median": 6500, "sigma": 0.7, "cap": 60_000, "interest": (0.02, 0.12), "fee": (0.0, 0.04)},
    "harbour-finch": {"median": 650, "sigma": 0.8, "cap": 12_000, "interest": (0.0, 0.18), "fee": (0.0, 0.03)},
}

# Days past due per bucket: (weight, lowest, highest). "current" = placed early, not yet due.
BUCKET_MIX = [
    (DelinquencyBucket.CURRENT, 6, -20, 0),
    (DelinquencyBucket.DPD_1_30, 16, 1, 30),
    (DelinquencyBucket.DPD_31_60, 18, 31, 60),
    (DelinquencyBucket.DPD_61_90, 16, 61, 90),
    (DelinquencyBucket.DPD_91_180, 24, 91, 180),
    (DelinquencyBucket.DPD_181_PLUS, 20, 181, 1100),
]

VULNERABILITY_NOTES = {
    VulnerabilityFlag.HEALTH: "Told us about a long illness; prefers short messages and more time.",
    VulnerabilityFlag.LIFE_EVENT: "Recent bereavement in the family; be gentle and offer a pause.",
    VulnerabilityFlag.RESILIENCE: "Lost their job this year; income is irregular.",
    VulnerabilityFlag.CAPABILITY: "Finds written English hard; a call in their language works better.",
}
VULNERABLE_SHARE = 0.04
SECOND_ACCOUNT_SHARE = 0.08


def _weighted(pairs):
    values = [p[0] for p in pairs]
    weights = [p[1] for p in pairs]
    return values, weights


@dataclass(frozen=True)
class NamePool:
    first: list[str]
    last: list[str]
    streets: list[str]
    postcodes: list[str]


def _street(fake: Faker, market: str) -> str:
    if market == "NG":  # Faker's en_NG streets read American; Nigerian streets carry family names.
        kind = fake.random_element(("Street", "Road", "Close", "Crescent", "Avenue"))
        return f"{fake.building_number()[:2]} {fake.last_name()} {kind}"
    return fake.street_address()


@lru_cache(maxsize=4)
def build_pools(seed: int) -> dict[str, NamePool]:
    """A few thousand seeded Faker values per market, drawn once (and kept for a repeat run)."""
    pools = {}
    for code, market in sorted(MARKETS.items()):
        fake = Faker(market["locale"])
        fake.seed_instance(f"{seed}:{code}")
        pools[code] = NamePool(
            first=[fake.first_name() for _ in range(POOL_SIZE)],
            last=[fake.last_name() for _ in range(POOL_SIZE)],
            streets=[_street(fake, code) for _ in range(POOL_SIZE)],
            postcodes=[fake.postcode() for _ in range(POOL_SIZE // 3)] if code == "GB" else [],
        )
    return pools


class PortfolioGenerator:
    """Draws customers and accounts as plain field dicts, in a fixed order from one seeded RNG."""

    def __init__(self, *, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.pools = build_pools(seed)
        self._regions = {
            code: ([r for r in m["regions"]], [r[1] for r in m["regions"]]) for code, m in MARKETS.items()
        }
        self._languages = {code: _weighted(m["languages"]) for code, m in MARKETS.items()}
        self._channels = {code: _weighted(m["channels"]) for code, m in MARKETS.items()}
        self._buckets = ([(b[2], b[3]) for b in BUCKET_MIX], [b[1] for b in BUCKET_MIX])
        self._flags = list(VulnerabilityFlag)

    # --- people -------------------------------------------------------------------------------
    def customer(self, *, market: str, external_ref: str) -> dict:
        rng = self.rng
        m = MARKETS[market]
        pool = self.pools[market]
        region_rows, region_weights = self._regions[market]
        region, _w, zone, cities, area_codes = rng.choices(region_rows, region_weights)[0]
        city, postcode_prefix = rng.choice(cities)
        first, last = rng.choice(pool.first), rng.choice(pool.last)
        langs, lang_w = self._languages[market]
        chans, chan_w = self._channels[market]
        language = rng.choices(langs, lang_w)[0]
        channel = rng.choices(chans, chan_w)[0]
        if market == "NG":
            phone = f"+234{rng.choice(m['mobile_prefixes'])}{rng.randrange(10**7):07d}"
            postal_code = f"{postcode_prefix}{rng.randrange(1000):03d}"
        elif market == "US":
            phone = f"+1{rng.choice(area_codes)}{rng.randrange(200, 1000)}{rng.randrange(10**4):04d}"
            postal_code = f"{postcode_prefix}{rng.randrange(100):02d}"
        else:
            phone = f"+447{rng.randrange(100, 1000)}{rng.randrange(10**6):06d}"
            postal_code = rng.choice(pool.postcodes)
        possible = [zone]
        street = rng.choice(pool.streets)
        if m["unknown_zone_share"] and rng.random() < m["unknown_zone_share"]:
            # No usable address (moved, or only a mobile number on file): the zone is unknown.
            zone, region, city, postal_code, street = "", "", "", "", ""
            possible = list(rng.choice(m["possible_zone_sets"]))
        flags: list[str] = []
        note = ""
        if rng.random() < VULNERABLE_SHARE:
            flags = sorted(str(f) for f in rng.sample(self._flags, rng.choice((1, 1, 2))))
            note = " ".join(VULNERABILITY_NOTES[VulnerabilityFlag(f)] for f in flags)
        hours = (None, None)
        if rng.random() < 0.15:
            hours = rng.choice([(time(9), time(17)), (time(18), time(20, 30)), (time(8), time(12))])
        domain = rng.choice(("example.com", "example.net", "example.org"))
        return {
            "external_ref": external_ref,
            "first_name": first,
            "last_name": last,
            "date_of_birth": self.today - timedelta(days=rng.randrange(19 * 365, 80 * 365)),
            "email": f"{first}.{last}.{external_ref}@{domain}".lower().replace(" ", "").replace("'", ""),
            "phone": phone,
            "address_line": street,
            "city": city,
            "postal_code": postal_code,
            "region": region,
            "country": m["country"],
            "time_zone": zone,
            "possible_time_zones": possible,
            "preferred_channel": str(channel),
            "language": str(language),
            "contact_hours_start": hours[0],
            "contact_hours_end": hours[1],
            "vulnerability_flags": flags,
            "vulnerability_note": note,
            "customer_since": self.today - timedelta(days=rng.randrange(60, 15 * 365)),
        }

    def reuses_customer(self) -> bool:
        """Some people owe the same creditor twice (a second line, a second meter)."""
        return self.rng.random() < SECOND_ACCOUNT_SHARE

    # --- debts --------------------------------------------------------------------------------
    def _amount(self, value: float) -> Decimal:
        return Decimal(str(round(value, 2))).quantize(CENTS)

    def account(self, *, creditor_slug: str, reference: str, customer_since: date) -> dict:
        rng = self.rng
        profile = DEBT_PROFILES[creditor_slug]
        principal = self._amount(min(profile["cap"], max(5.0, rng.lognormvariate(0, profile["sigma"]) * profile["median"])))
        interest = self._amount(float(principal) * rng.uniform(*profile["interest"]))
        fees = self._amount(float(principal) * rng.uniform(*profile["fee"]))
        credits = Decimal("0.00")
        if rng.random() < 0.12:
            credits = self._amount(float(principal) * rng.uniform(0.01, 0.15))
        placed = principal + interest + fees - credits

        ((low, high),) = rng.choices(*self._buckets)
        dpd = rng.randint(low, high)
        due_date = self.today - timedelta(days=dpd)
        placed_days_ago = max(0, min(dpd, 400) - rng.randint(0, 20)) if dpd > 0 else rng.randint(0, 10)
        placed_at = datetime.combine(self.today - timedelta(days=placed_days_ago), time(rng.randrange(7, 19)), tzinfo=UTC)

        roll = rng.random()
        last_payment = None
        if roll < 0.03:
            status, balance = AccountStatus.PAID, Decimal("0.00")
        elif roll < 0.04:
            status, balance = AccountStatus.SETTLED, Decimal("0.00")
        elif roll < 0.12:
            status = AccountStatus.IN_PLAN
            balance = self._amount(float(placed) * rng.uniform(0.2, 0.95))
        elif roll < 0.40:
            status = AccountStatus.OPEN
            balance = self._amount(float(placed) * rng.uniform(0.1, 0.98))
        else:
            status, balance = AccountStatus.OPEN, placed
        if balance != placed:
            last_payment = self.today - timedelta(days=rng.randint(0, max(0, placed_days_ago)))
        opened_on = max(customer_since, due_date - timedelta(days=rng.randint(30, 1500)))
        return {
            "reference": reference,
            "principal": principal,
            "interest": interest,
            "fees": fees,
            "credits": credits,
            "placed_amount": placed,
            "balance": min(balance, placed),
            "opened_on": min(opened_on, due_date),
            "due_date": due_date,
            "itemization_date": min(self.today, due_date + timedelta(days=30)),
            "last_payment_date": last_payment,
            "placed_at": placed_at,
            "status": str(status),
            "delinquency_bucket": str(DelinquencyBucket.for_days(dpd)),
        }
