from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("indicators/", views.indicators, name="indicators"),
    path("returns/", views.caseload, name="caseload"),
    path("returns/caseload.csv", views.caseload_csv, name="caseload_csv"),
    path("returns/caseload.xlsx", views.caseload_xlsx, name="caseload_xlsx"),
]
