"""Reads for accounts: querysets with what each page or endpoint needs already joined."""

from django.db.models import QuerySet

from .models import Account, Case, Creditor, Customer


def creditor_list() -> QuerySet[Creditor]:
    return Creditor.objects.all()


def customer_list() -> QuerySet[Customer]:
    return Customer.objects.select_related("creditor")


def account_list() -> QuerySet[Account]:
    return Account.objects.select_related("creditor", "customer")


def case_list() -> QuerySet[Case]:
    return Case.objects.select_related("account", "account__customer", "creditor", "assignee")
