"""Load the year-end report's economy tables from the seed JSON (see followups.seed).

Called by `followups.seed._Loader.load_report`; rows are upserted on (plan, label) through the
loader's own `upsert`, so loading twice changes nothing.
"""

from decimal import Decimal

from .models import EconomySummaryRow, InvestmentRow, OperatingSummaryRow


def _amount(value):
    return None if value is None else Decimal(str(value))


def economy_on_report_loaded(sender, *, loader, plan, data, **kwargs):
    """Receiver of followups.seed.report_loaded (connected in ReportsConfig.ready)."""
    economy_load(loader, plan, data)


def economy_load(loader, plan, data):
    """Upsert the economy summary, operating summary and investment rows of `plan` from `data`."""
    for order, row in enumerate(data.get("economy_summary", []), start=1):
        loader.upsert(
            EconomySummaryRow,
            {"plan": plan, "label": row["label"]},
            {
                "outcome": _amount(row.get("outcome")),
                "budget": _amount(row.get("budget")),
                "deviation": _amount(row.get("deviation")),
                "order": order,
            },
        )

    rows = {}
    for order, row in enumerate(data.get("operating_summary", []), start=1):
        parent = rows[row["parent"]] if row.get("parent") else None
        rows[row["label"]] = loader.upsert(
            OperatingSummaryRow,
            {"plan": plan, "label": row["label"]},
            {
                "parent": parent,
                "outcome": _amount(row.get("outcome")),
                "budget": _amount(row.get("budget")),
                "deviation": _amount(row.get("deviation")),
                "previous_year": _amount(row.get("previous_year")),
                "is_sum": bool(row.get("is_sum")),
                "order": order,
            },
        )

    for order, row in enumerate(data.get("investments", []), start=1):
        loader.upsert(
            InvestmentRow,
            {"plan": plan, "label": row["label"]},
            {
                "expenditure": _amount(row.get("expenditure")),
                "income": _amount(row.get("income")),
                "net": _amount(row.get("net")),
                "budget": _amount(row.get("budget")),
                "deviation": _amount(row.get("deviation")),
                "previous_year": _amount(row.get("previous_year")),
                "is_sum": bool(row.get("is_sum")),
                "order": order,
            },
        )
