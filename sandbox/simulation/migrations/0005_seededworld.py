"""Copies of a seeded world share its snapshot and scenario (SeededWorld); a seed's own
scenario keeps its column under a new field name (`SpaceSeed.scenario_data` is now a
property: the seed's own, else its world's)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('simulation', '0004_progress'),
    ]

    operations = [
        migrations.CreateModel(
            name='SeededWorld',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('snapshot', models.BinaryField(verbose_name='snapshot')),
                ('scenario_data', models.JSONField(blank=True, default=dict, verbose_name='scenario as seeded')),
                ('scenario_sha256', models.CharField(blank=True, max_length=64, verbose_name='fingerprint of the scenario as seeded')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
            ],
            options={
                'verbose_name': 'seeded world',
                'verbose_name_plural': 'seeded worlds',
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(model_name='spaceseed', old_name='scenario_data',
                                       new_name='own_scenario_data'),
                migrations.AlterField(
                    model_name='spaceseed',
                    name='own_scenario_data',
                    field=models.JSONField(blank=True, db_column='scenario_data', default=dict,
                                           verbose_name='scenario as seeded'),
                ),
            ],
        ),
        migrations.AddField(
            model_name='spaceseed',
            name='world',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='seeds', to='simulation.seededworld', verbose_name='seeded world'),
        ),
    ]
