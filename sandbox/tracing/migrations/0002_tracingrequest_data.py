from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tracing', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='tracingrequest',
            name='data',
            field=models.JSONField(blank=True, default=dict, verbose_name='form data'),
        ),
    ]
