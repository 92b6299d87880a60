from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('configuration', '0007_formsection_record_type'),
    ]

    operations = [
        migrations.AddField(
            model_name='agency',
            name='providers',
            field=models.JSONField(blank=True, default=list, verbose_name='provider types'),
        ),
        migrations.AddField(
            model_name='module',
            name='person',
            field=models.JSONField(blank=True, default=dict, verbose_name='person'),
        ),
    ]
