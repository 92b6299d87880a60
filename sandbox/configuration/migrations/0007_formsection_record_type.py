from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('configuration', '0006_policy_statistics'),
    ]

    operations = [
        migrations.AddField(
            model_name='formsection',
            name='record_type',
            field=models.CharField(choices=[('case', 'Case'), ('tracing_request', 'Tracing request')], default='case', max_length=20, verbose_name='record type'),
        ),
        migrations.AlterField(
            model_name='formsection',
            name='step',
            field=models.CharField(blank=True, choices=[('registration', 'Identification and registration'), ('consent', 'Consent'), ('assessment', 'Assessment'), ('case_plan', 'Case plan'), ('services', 'Services and follow-up'), ('closure', 'Closure')], max_length=20, verbose_name='step'),
        ),
    ]
