from django.contrib import admin


def test_explore(db, admin_client, plan_2017, plan_2019):
    from django.apps import apps
    for model, ma in admin.site._registry.items():
        if model._meta.app_label in {"goals", "activities", "indicators", "followups"}:
            print(model._meta.label, model.objects.count(), type(ma).__name__)
    print(plan_2017.pk, plan_2017.board_id, plan_2019.pk, plan_2019.board_id)
    for m in apps.get_app_config("goals").get_models():
        pass
    r = admin_client.get("/admin/goals/plan/add/")
    for f in r.context["inline_admin_formsets"]:
        print(f.formset.prefix, f.formset.management_form.initial)
    r = admin_client.get("/admin/activities/activity/add/")
    for f in r.context["inline_admin_formsets"]:
        print(f.formset.prefix, f.formset.management_form.initial)
    r = admin_client.get("/admin/goals/followupperiod/add/")
    print(r.status_code, r.context["inline_admin_formsets"])
    r = admin_client.get("/admin/goals/goal/%d/change/" % plan_2017.goals.first().pk)
    for f in r.context["inline_admin_formsets"]:
        print(f.formset.prefix, f.formset.management_form.initial)
    print(r.content.decode()[:300])
