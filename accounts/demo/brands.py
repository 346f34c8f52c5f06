"""Who the demo portfolio belongs to and who works it: four creditors with their own brands and
policies, and one demo sign-in per role. Pure data, no database."""

from __future__ import annotations

from decimal import Decimal

from accounts.choices import Language, Role, Skill

DEFAULT_DEMO_PASSWORD = "collect-with-care"  # noqa: S105 - a published demo password, never production

# share = the fraction of demo accounts placed by this creditor; market = which population its customers
# come from (see population.py). Thresholds are in the creditor's own currency.
CREDITORS: list[dict] = [
    {
        "slug": "lagos-power",
        "share": Decimal("0.35"),
        "market": "NG",
        "reference_prefix": "LP",
        "product": "Prepaid meter arrears",
        "fields": {
            "name": "Lagos Power Distribution Company Plc",
            "display_name": "Lagos Power",
            "brand_primary": "#0b6e4f",
            "brand_accent": "#f2c14e",
            "sender_email_name": "Lagos Power Customer Care",
            "sender_sms_id": "LagosPower",
            "tone_of_voice": (
                "Warm and neighbourly. We keep the lights on together: short sentences, no threats, "
                "always say how to pay in small bits."
            ),
            "support_phone": "+2342017001000",
            "support_email": "care@lagospower.example.com",
            "country": "NG",
            "region": "LA",
            "currency": "NGN",
            "default_phone_region": "NG",
            "default_language": Language.ENGLISH,
            "high_value_threshold": Decimal("500000.00"),
            "min_instalment_amount": Decimal("2000.00"),
            "max_plan_months": 6,
            "settlement_floor_percent": Decimal("80.00"),
        },
    },
    {
        "slug": "naija-mobile",
        "share": Decimal("0.20"),
        "market": "NG",
        "reference_prefix": "NM",
        "product": "Postpaid line",
        "fields": {
            "name": "Naija Mobile Communications Ltd",
            "display_name": "Naija Mobile",
            "brand_primary": "#5b2a86",
            "brand_accent": "#ffb400",
            "sender_email_name": "Naija Mobile",
            "sender_sms_id": "NaijaMobile",
            "tone_of_voice": "Friendly and quick, like a text from a mate. Pidgin is welcome. Never shame.",
            "support_phone": "+2347001234000",
            "support_email": "help@naijamobile.example.com",
            "country": "NG",
            "region": "LA",
            "currency": "NGN",
            "default_phone_region": "NG",
            "default_language": Language.PIDGIN,
            "high_value_threshold": Decimal("150000.00"),
            "min_instalment_amount": Decimal("1000.00"),
            "max_plan_months": 4,
            "settlement_floor_percent": Decimal("70.00"),
        },
    },
    {
        "slug": "bay-state-auto",
        "share": Decimal("0.25"),
        "market": "US",
        "reference_prefix": "BSA",
        "product": "Auto loan",
        "fields": {
            "name": "Bay State Auto Finance LLC",
            "display_name": "Bay State Auto Finance",
            "brand_primary": "#1f3a5f",
            "brand_accent": "#c8102e",
            "sender_email_name": "Bay State Auto Finance",
            "sender_sms_id": "BayStateAF",
            "tone_of_voice": (
                "Plain, respectful and precise. State the amount and the options; keep the car on "
                "the road where we can."
            ),
            "support_phone": "+16175550100",
            "support_email": "accounts@baystateauto.example.com",
            "country": "US",
            "region": "MA",
            "currency": "USD",
            "default_phone_region": "US",
            "default_language": Language.ENGLISH,
            "high_value_threshold": Decimal("15000.00"),
            "min_instalment_amount": Decimal("50.00"),
            "max_plan_months": 24,
            "settlement_floor_percent": Decimal("60.00"),
        },
    },
    {
        "slug": "harbour-finch",
        "share": Decimal("0.20"),
        "market": "GB",
        "reference_prefix": "HF",
        "product": "Store card",
        "fields": {
            "name": "Harbour & Finch Retail Ltd",
            "display_name": "Harbour & Finch",
            "brand_primary": "#23395b",
            "brand_accent": "#d81e5b",
            "sender_email_name": "Harbour & Finch Accounts",
            "sender_sms_id": "HarbourFin",
            "tone_of_voice": "Courteous and calm, never pushy. Offer breathing space and free debt advice.",
            "support_phone": "+443301234567",
            "support_email": "accounts@harbourfinch.example.co.uk",
            "country": "GB",
            "region": "ENG",
            "currency": "GBP",
            "default_phone_region": "GB",
            "default_language": Language.ENGLISH,
            "high_value_threshold": Decimal("2500.00"),
            "min_instalment_amount": Decimal("5.00"),
            "max_plan_months": 12,
            "settlement_floor_percent": Decimal("50.00"),
        },
    },
]

# Demo staff. The password comes from DEMO_PASSWORD (default above); logins are printed by seed_demo.
STAFF: list[dict] = [
    {
        "username": "agent.ada", "first_name": "Ada", "last_name": "Okafor", "role": Role.AGENT,
        "profile": {"display_name": "Ada", "languages": ["en", "fr"], "skills": [Skill.HIGH_VALUE], "capacity": 30},
    },
    {
        "username": "agent.tunde", "first_name": "Tunde", "last_name": "Bakare", "role": Role.AGENT,
        "profile": {
            "display_name": "Tunde", "languages": ["en", "pcm"], "skills": [Skill.DISPUTES, Skill.COMPLAINTS],
            "capacity": 25,
        },
    },
    {
        "username": "agent.maria", "first_name": "María", "last_name": "Delgado", "role": Role.AGENT,
        "profile": {"display_name": "María", "languages": ["en", "es"], "skills": [Skill.VULNERABILITY], "capacity": 20},
    },
    {
        "username": "sup.kemi", "first_name": "Kemi", "last_name": "Adeyemi", "role": Role.SUPERVISOR,
        "profile": {
            "display_name": "Kemi", "languages": ["en", "pcm"],
            "skills": [Skill.DISPUTES, Skill.VULNERABILITY, Skill.HIGH_VALUE, Skill.COMPLAINTS], "capacity": 10,
        },
    },
    {"username": "admin.ama", "first_name": "Ama", "last_name": "Mensah", "role": Role.ADMIN, "profile": None},
]
