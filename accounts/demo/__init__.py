"""The demo portfolio: creditors with their own brands, customers in Nigeria, the US and the UK,
itemised accounts in every delinquency bucket, one case each, and demo staff for every role.

``manage.py seed_demo`` calls :func:`accounts.demo.loader.demo_seed`. The same seed gives the same
data (:func:`accounts.demo.loader.demo_portfolio_digest` proves it); it is also the benchmark data.
"""
