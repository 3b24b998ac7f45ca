from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("network", "0006_offer_times_and_costs_from_free_text")]

    operations = [
        migrations.RemoveField(model_name="offer", name="schedule"),
        migrations.RemoveField(model_name="offer", name="cost_text"),
        migrations.AddConstraint(
            model_name="offer",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("cost", "amount"), ("cost_amount__isnull", False)),
                    models.Q(
                        models.Q(("cost", "amount"), _negated=True),
                        ("cost_amount__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="network_offer_amount_only_with_amount_cost",
            ),
        ),
    ]
