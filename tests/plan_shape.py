"""A plan's structure as plain data (no ids, no year): what roll-over and import must keep."""

from activities.models import Activity, Assignment
from goals.models import Goal, PlanSection


def plan_structure(plan) -> dict:
    goals = Goal.objects.filter(plan=plan).prefetch_related(
        "indicator_items", "municipal_goal_links"
    )
    by_goal = {}
    for goal in goals.order_by("order", "pk"):
        by_goal[goal.pk] = {
            "order": goal.order,
            "text": goal.text,
            "intro": goal.intro,
            "area": goal.area_id,
            "domain": goal.domain_id,
            "indicators": [(i.order, i.number, i.text) for i in goal.indicator_items.all()],
            "links": [
                (link.order, link.municipal_goal_id) for link in goal.municipal_goal_links.all()
            ],
            "assignments": [],
            "activities": [],
        }
    loose = {"assignments": [], "activities": []}
    for a in Assignment.objects.filter(plan=plan).order_by("origin", "sort_key"):
        row = (a.origin, a.number, a.text, a.partners)
        (by_goal[a.goal_id] if a.goal_id else loose)["assignments"].append(row)
    for a in Activity.objects.filter(plan=plan).order_by("sort_key"):
        row = (a.number, a.text, a.schedule, a.schedule_text, a.area_id)
        (by_goal[a.goal_id] if a.goal_id else loose)["activities"].append(row)
    sections = [
        (s.key, s.title, s.body, s.area_id, s.order, s.before_goal.order if s.before_goal else None)
        for s in PlanSection.objects.filter(plan=plan, period__isnull=True)
        .select_related("before_goal")
        .order_by("order", "key")
    ]
    return {"goals": list(by_goal.values()), "loose": loose, "sections": sections}
