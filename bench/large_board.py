"""Building blocks shared by the benchmarks that build a large board."""

from decimal import Decimal

WORDS = (
    "Arbetet med uppföljningen har fortsatt under perioden och resultaten redovisas för "
    "nämnden. Samverkan med utförare och andra förvaltningar har utvecklats enligt plan. "
)


def add_indicators(board, goals, count, *, year, years):
    """`count` goal indicators spread over `goals`, each with T/K/M values for `years` years."""
    from indicators.models import Indicator, IndicatorValue

    for i in range(1, count + 1):
        indicator = Indicator.objects.create(
            board=board,
            goal=goals[i % len(goals)],
            kind="goal",
            name=f"Indikator {i} för uppföljning av nämndmålet",
            unit="%",
            target_comparator=">=",
            target_value=Decimal(80),
            direction="higher" if i % 2 else "lower",
            source=f"Källa: statistik {i}, helår",
            order=i,
        )
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=indicator,
                year=year - offset,
                gender=gender,
                value=Decimal(60 + (i * 7 + offset * 3 + ord(gender)) % 40),
            )
            for offset in range(years)
            for gender in ("T", "K", "M")
        )
