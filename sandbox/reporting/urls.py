from django.urls import path

from . import export_views, views

app_name = "reporting"

urlpatterns = [
    path("indicators/", views.indicators, name="indicators"),
    path("returns/", views.caseload, name="caseload"),
    path("returns/caseload.csv", views.caseload_csv, name="caseload_csv"),
    path("returns/caseload.xlsx", views.caseload_xlsx, name="caseload_xlsx"),
    path("exports/cases.csv", export_views.cases_export, {"file_format": "csv"}, name="cases_csv"),
    path("exports/cases.xlsx", export_views.cases_export, {"file_format": "xlsx"}, name="cases_xlsx"),
    path("exports/cases/<str:display_id>.pdf", export_views.case_pdf, name="case_pdf"),
]
